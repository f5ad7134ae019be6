package io.streamops.schemas.topics;

import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.config.ConfigKey;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.workflow.Workflows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How declared topic names map to the names of a deployment: an optional prefix for all of them
 * ({@code streamops.topic.prefix=prod.}) and per-topic renames ({@code
 * streamops.topic.name.requests=web.requests}), renames winning.
 */
public record TopicNaming(String prefix, Map<String, String> renames) {

    public static final TopicNaming DECLARED = new TopicNaming("", Map.of());

    public static final ConfigKey<String> PREFIX = ConfigKey.string(
                    "streamops.topic.prefix", "", "prefix for every topic name (two deployments on one cluster)")
            .defaultDoc("(none)");
    public static final ConfigKey<String> RENAME = ConfigKey.string(
                    "streamops.topic.name.<topic>",
                    null,
                    "rename one topic, e.g. streamops.topic.name.requests=web.requests")
            .defaultDoc("(declared name)");
    public static final ConfigKey<Integer> REPLICATION = ConfigKey.integer(
                    "streamops.replication.factor",
                    1,
                    "replication of created topics and of Kafka Streams internal topics")
            .check(n -> n >= 1, "must be at least 1");
    public static final ConfigGroup KEYS = ConfigGroup.of("Topics", "streamops.topic.", PREFIX, RENAME, REPLICATION);

    public TopicNaming {
        renames = Map.copyOf(renames);
    }

    public static TopicNaming from(Settings settings) {
        Map<String, String> renames = new TreeMap<>();
        for (String declared : settings.names(RENAME)) {
            if (Workflows.topic(declared).isEmpty()) {
                throw new ConfigException("configuration key " + RENAME.forName(declared)
                        + " renames an undeclared topic '" + declared + "'");
            }
            renames.put(declared, settings.get(RENAME, declared));
        }
        return new TopicNaming(settings.get(PREFIX), renames);
    }

    public String resolve(String declared) {
        String renamed = renames.get(declared);
        return renamed != null ? renamed : prefix + declared;
    }

    public List<Topic<?, ?>> resolveAll(List<? extends Topic<?, ?>> declared) {
        List<Topic<?, ?>> resolved = new ArrayList<>();
        declared.forEach(t -> resolved.add(resolve(t)));
        return resolved;
    }

    public <K, V> Topic<K, V> resolve(Topic<K, V> declared) {
        String name = resolve(declared.name());
        return name.equals(declared.name()) ? declared : declared.withName(name);
    }
}
