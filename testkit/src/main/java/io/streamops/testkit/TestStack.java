package io.streamops.testkit;

import io.streamops.schemas.registry.CachedSchemaRegistryClient;
import io.streamops.schemas.registry.RestSchemaRegistryClient;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicAdmin;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * One real Kafka broker and schema registry per test JVM, started on first use and stopped when the
 * JVM exits. In-process by default; a module whose classpath cannot hold the broker (the Flink jobs
 * pin an older kafka-clients) sets {@code streamops.testkit.fork=true} and gets them in a child JVM.
 * Tests must not depend on each other's topics: each creates its own or uses unique keys.
 */
public final class TestStack {

    private static TestStack shared;

    private final String bootstrapServers;
    private final String registryUrl;
    private final SchemaRegistryClient registry;

    TestStack(String bootstrapServers, String registryUrl) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.registry = new CachedSchemaRegistryClient(new RestSchemaRegistryClient(registryUrl));
    }

    /** The stack of this JVM, started now if it is not yet running. */
    public static synchronized TestStack shared() {
        if (shared == null) {
            shared = Boolean.getBoolean("streamops.testkit.fork") ? ForkedStack.start() : InProcessStack.start();
        }
        return shared;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    /** A cached client of the stack's registry. */
    public SchemaRegistryClient registry() {
        return registry;
    }

    /** Creates the topics that do not exist yet. */
    public void createTopics(Topic<?, ?>... topics) {
        createTopics(Arrays.asList(topics));
    }

    /**
     * Creates the topics that do not exist yet, kept forever: tests write records stamped with
     * fixed instants in the past, which the broker's retention check (30 s after start, then every
     * 5 min) would otherwise delete in the middle of a test.
     */
    public void createTopics(List<? extends Topic<?, ?>> topics) {
        List<Topic<?, ?>> keptForever =
                topics.stream().<Topic<?, ?>>map(TestStack::forever).toList();
        try (Admin admin = admin()) {
            TopicAdmin.createMissing(admin, keptForever, (short) 1);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot create topics " + topics.stream().map(Topic::name).toList(), e);
        }
    }

    private static <K, V> Topic<K, V> forever(Topic<K, V> t) {
        return new Topic<>(t.name(), t.key(), t.value(), t.partitions(), t.cleanup(), null, t.description());
    }

    public Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrapServers));
    }
}
