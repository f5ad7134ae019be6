package io.streamops.schemas.topics;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One topic, declared once: its name, its role, how its keys and values are encoded, and how it is
 * laid out and retained. Shared event topics are the constants of {@link Topics}; a workflow
 * declares its own decision, dead-letter, config and outcome topics in its descriptor.
 *
 * @param retention how long records are kept; {@code null} means forever
 * @param ingest whether producer clients may write it through the gateway's {@code /ingest}
 */
public record Topic<K, V>(
        String name,
        Codec<K> key,
        Codec<V> value,
        int partitions,
        CleanupPolicy cleanup,
        Duration retention,
        TopicRole role,
        boolean ingest,
        String description) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(cleanup, "cleanup");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(description, "description");
        if (!name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new IllegalArgumentException("invalid topic name: '" + name + "'");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, was " + partitions);
        }
        if (ingest && role != TopicRole.EVENT) {
            throw new IllegalArgumentException("topic " + name + ": only event topics are open to ingest");
        }
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("topic " + name + ": retention must be positive or null (forever)");
        }
    }

    /** Subject of the value schema under the registry's TopicNameStrategy. */
    public String valueSubject() {
        return name + "-value";
    }

    /** The same topic under another name, for deployments that rename topics. */
    public Topic<K, V> withName(String newName) {
        return new Topic<>(newName, key, value, partitions, cleanup, retention, role, ingest, description);
    }

    /** The same topic with another partition count (a decision stream that must stay in one order). */
    public Topic<K, V> withPartitions(int count) {
        return new Topic<>(name, key, value, count, cleanup, retention, role, ingest, description);
    }

    /** The same topic, kept forever (tests that write records stamped with fixed instants long past). */
    public Topic<K, V> keptForever() {
        return new Topic<>(name, key, value, partitions, cleanup, null, role, ingest, description);
    }

    /** Topic-level configs to create it with. */
    public Map<String, String> configs() {
        String retentionMs = retention == null ? "-1" : Long.toString(retention.toMillis());
        return Map.of("cleanup.policy", cleanup.configValue(), "retention.ms", retentionMs);
    }
}
