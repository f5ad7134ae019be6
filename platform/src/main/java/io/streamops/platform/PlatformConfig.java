package io.streamops.platform;

import io.streamops.gateway.Gateway;
import io.streamops.registry.RegistryServer;
import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.config.ConfigKey;
import io.streamops.schemas.config.FlinkKeys;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.registry.RegistryClients;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.topologies.runtime.StreamsRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the one-command platform runs and where. Setting {@code streamops.kafka.bootstrap} or
 * {@code streamops.registry.url} uses an external Kafka or registry instead of the embedded one;
 * {@code streamops.flink.rest} submits the jobs to a Flink cluster instead of a local MiniCluster.
 * Every key of every part, workflows' included, is validated before anything starts.
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

    public static final ConfigKey<String> DATA_DIR =
            ConfigKey.string("streamops.data.dir", "data", "broker logs, operator state, checkpoints, logs, alerts");
    public static final ConfigKey<Integer> KAFKA_PORT =
            ConfigKey.integer("streamops.kafka.port", 9092, "embedded broker's client port (0: any free one)");
    public static final ConfigKey<Integer> CONTROLLER_PORT = ConfigKey.integer(
            "streamops.kafka.controller.port", 9093, "embedded broker's KRaft controller port (0: any free one)");
    public static final ConfigKey<Integer> DEMO_PORT =
            ConfigKey.integer("streamops.demo.port", 8090, "the demo upstream's port (with --demo)");
    public static final ConfigKey<Integer> DEMO_NOISY_RATE = ConfigKey.integer(
            "streamops.demo.noisy.rate", 30, "requests per second of the demo's one noisy client (with --demo)");

    static final ConfigGroup DATA = ConfigGroup.of("Data", "streamops.data.", DATA_DIR);
    static final ConfigGroup KAFKA = ConfigGroup.of(
            "Kafka", "streamops.kafka.", KafkaClients.BOOTSTRAP, KafkaClients.CLIENT, KAFKA_PORT, CONTROLLER_PORT);
    static final ConfigGroup DEMO = ConfigGroup.of("Demo", "streamops.demo.", DEMO_PORT, DEMO_NOISY_RATE);

    /** The parts of the platform; {@code --only} picks some. */
    public enum Component {
        BROKER,
        REGISTRY,
        TOPOLOGIES,
        FLINK,
        ACTUATORS,
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

    /** Every key group of the platform and what it runs, in the order the README lists them. */
    public static List<ConfigGroup> groups() {
        Set<ConfigGroup> groups = new LinkedHashSet<>(List.of(
                DATA, KAFKA, RegistryServer.Config.KEYS, TopicNaming.KEYS, StreamsRunner.Config.KEYS, FlinkKeys.KEYS));
        groups.addAll(Gateway.configGroups());
        groups.add(DEMO);
        return new ArrayList<>(groups);
    }

    public static PlatformConfig from(Settings settings, String only, boolean demo) {
        settings.validate(groups());
        Optional<String> kafka = settings.find(KafkaClients.BOOTSTRAP);
        Optional<String> registry = settings.find(RegistryClients.URL);
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
                Path.of(settings.get(DATA_DIR)),
                components,
                kafka,
                settings.get(KAFKA_PORT),
                settings.get(CONTROLLER_PORT),
                registry,
                settings.get(RegistryServer.Config.PORT),
                settings.find(FlinkKeys.REST),
                settings.get(FlinkKeys.PORT),
                settings.get(TopicNaming.REPLICATION).shortValue(),
                demo);
    }

    public boolean runs(Component component) {
        return components.contains(component);
    }
}
