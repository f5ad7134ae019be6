package io.streamops.platform;

import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.Settings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the one-command platform runs and where. Setting {@code streamops.kafka.bootstrap} or
 * {@code streamops.registry.url} uses an external Kafka or registry instead of the embedded one;
 * {@code streamops.flink.rest} submits the jobs to a Flink cluster instead of a local MiniCluster.
 */
public record PlatformConfig(
        Path dataDir,
        Set<Component> components,
        Optional<String> externalKafka,
        int kafkaPort,
        int controllerPort,
        Optional<String> externalRegistry,
        int registryPort,
        Optional<String> flinkRest,
        int flinkPort,
        short replicationFactor,
        boolean demo) {

    /** The parts of the platform; {@code --only} picks some. */
    public enum Component {
        BROKER,
        REGISTRY,
        TOPOLOGIES,
        FLINK,
        GATEWAY;

        static Set<Component> parse(String list) {
            Set<Component> picked = EnumSet.noneOf(Component.class);
            for (String name : list.split(",")) {
                try {
                    picked.add(valueOf(name.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("unknown component '" + name.trim() + "'; components are "
                            + Arrays.stream(values())
                                    .map(c -> c.name().toLowerCase(Locale.ROOT))
                                    .toList());
                }
            }
            return picked;
        }
    }

    /** Keys the platform and the parts it runs read, by prefix; anything else under them is a typo. */
    static final Map<String, List<String>> KEYS = Map.of(
            "streamops.kafka.",
                    List.of("streamops.kafka.bootstrap", "streamops.kafka.port", "streamops.kafka.controller.port"),
            "streamops.registry.", List.of("streamops.registry.url", "streamops.registry.port"),
            "streamops.flink.",
                    List.of(
                            "streamops.flink.rest",
                            "streamops.flink.port",
                            "streamops.flink.host",
                            "streamops.flink.slots",
                            "streamops.flink.parallelism",
                            "streamops.flink.checkpoint.interval",
                            "streamops.flink.jobs",
                            "streamops.flink.data.dir",
                            "streamops.flink.group.prefix"),
            "streamops.demo.", List.of("streamops.demo.port", "streamops.demo.noisy.rate"),
            "streamops.data.", List.of("streamops.data.dir"));

    public static PlatformConfig from(Settings settings, String only, boolean demo) {
        KEYS.forEach(settings::rejectUnknown);
        Optional<String> kafka = Optional.ofNullable(settings.string("streamops.kafka.bootstrap", null));
        Optional<String> registry = Optional.ofNullable(settings.string("streamops.registry.url", null));
        Set<Component> components = only == null ? EnumSet.allOf(Component.class) : Component.parse(only);
        if (kafka.isPresent()) {
            components.remove(Component.BROKER);
        } else if (!components.contains(Component.BROKER)) {
            throw new ConfigException("without the embedded broker, set streamops.kafka.bootstrap");
        }
        if (registry.isPresent()) {
            components.remove(Component.REGISTRY);
        } else if (!components.contains(Component.REGISTRY)) {
            throw new ConfigException("without the embedded registry, set streamops.registry.url");
        }
        return new PlatformConfig(
                Path.of(settings.string("streamops.data.dir", "data")),
                components,
                kafka,
                settings.integer("streamops.kafka.port", 9092),
                settings.integer("streamops.kafka.controller.port", 9093),
                registry,
                settings.integer("streamops.registry.port", 8081),
                Optional.ofNullable(settings.string("streamops.flink.rest", null)),
                settings.integer("streamops.flink.port", 8082),
                (short) settings.integer("streamops.replication.factor", 1),
                demo);
    }

    public boolean runs(Component component) {
        return components.contains(component);
    }
}
