package io.streamops.schemas.topics;

import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.Settings;
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

    static final String PREFIX_KEY = "streamops.topic.prefix";
    static final String RENAME_KEY = "streamops.topic.name.";

    public TopicNaming {
        renames = Map.copyOf(renames);
    }

    public static TopicNaming from(Settings settings) {
        Map<String, String> renames = new TreeMap<>();
        settings.asMap().forEach((key, value) -> {
            if (key.startsWith(RENAME_KEY)) {
                String declared = key.substring(RENAME_KEY.length());
                if (Topics.byName(declared).isEmpty()) {
                    throw new ConfigException(
                            "configuration key " + key + " renames an undeclared topic '" + declared + "'");
                }
                renames.put(declared, value);
            }
        });
        return new TopicNaming(settings.string(PREFIX_KEY, ""), renames);
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
