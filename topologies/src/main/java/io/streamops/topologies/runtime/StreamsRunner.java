package io.streamops.topologies.runtime;

import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.config.ConfigKey;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.wait.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one operator's topology to a cluster: exactly-once v2, dead letters for bad records, and a
 * failed stream thread replaced so that it resumes from its last committed transaction.
 */
public final class StreamsRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);

    /**
     * @param applicationIdPrefix prefixed to the operator's name to make its application id; two
     *     deployments on one cluster (or two tests) need different prefixes
     * @param replicationFactor of the operator's internal topics (1 on a single broker)
     * @param overrides any Kafka Streams, consumer or producer property, from settings keys
     *     {@code streamops.streams.config.<property>}
     */
    public record Config(
            String applicationIdPrefix,
            KafkaClients kafka,
            Path stateDir,
            String processingGuarantee,
            short replicationFactor,
            Duration commitInterval,
            Map<String, String> overrides) {

        public static final ConfigKey<String> STATE_DIR = ConfigKey.string(
                        "streamops.streams.state.dir", null, "where operators keep their state stores")
                .defaultDoc("(data dir)/streams");
        public static final ConfigKey<String> GUARANTEE = ConfigKey.string(
                        "streamops.streams.processing.guarantee",
                        StreamsConfig.EXACTLY_ONCE_V2,
                        "Kafka Streams guarantee")
                .check(
                        g -> g.equals(StreamsConfig.EXACTLY_ONCE_V2) || g.equals(StreamsConfig.AT_LEAST_ONCE),
                        "must be exactly_once_v2 or at_least_once");
        public static final ConfigKey<Duration> COMMIT_INTERVAL = ConfigKey.duration(
                        "streamops.streams.commit.interval",
                        Duration.ofMillis(100),
                        "Kafka Streams commit interval: under exactly-once, how long a decision can wait to be "
                                + "committed (operators poll every 10 ms, so a quiet input does not add to it)")
                .check(d -> !d.isNegative() && !d.isZero(), "must be positive");
        public static final ConfigKey<String> APPLICATION_PREFIX = ConfigKey.string(
                        "streamops.streams.application.prefix",
                        null,
                        "prefix of each operator's application id (its consumer group): two deployments on one "
                                + "cluster, with topic prefixes of their own, get groups of their own")
                .defaultDoc("streamops-(topic prefix)");
        public static final ConfigKey<String> OVERRIDE = ConfigKey.passThrough(
                "streamops.streams.config.<property>", "any Kafka Streams, consumer or producer property");
        public static final ConfigGroup KEYS = ConfigGroup.of(
                "Kafka Streams operators",
                "streamops.streams.",
                STATE_DIR,
                GUARANTEE,
                COMMIT_INTERVAL,
                APPLICATION_PREFIX,
                OVERRIDE);

        public Config {
            overrides = Map.copyOf(overrides);
        }

        public static Config from(Settings settings, Path defaultStateDir) {
            settings.validate(List.of(KEYS));
            return new Config(
                    settings.find(APPLICATION_PREFIX).orElse("streamops-" + settings.get(TopicNaming.PREFIX)),
                    KafkaClients.from(settings),
                    settings.find(STATE_DIR).map(Path::of).orElse(defaultStateDir),
                    settings.get(GUARANTEE),
                    settings.get(TopicNaming.REPLICATION).shortValue(),
                    settings.get(COMMIT_INTERVAL),
                    settings.passedThrough(OVERRIDE));
        }

        /** The same config with another commit interval. */
        public Config withCommitInterval(Duration interval) {
            return new Config(
                    applicationIdPrefix, kafka, stateDir, processingGuarantee, replicationFactor, interval, overrides);
        }

        /** The same config under another application-id prefix and state directory (a replay of its own). */
        public Config renamed(String applicationIdPrefix, Path stateDir) {
            return new Config(
                    applicationIdPrefix,
                    kafka,
                    stateDir,
                    processingGuarantee,
                    replicationFactor,
                    commitInterval,
                    overrides);
        }
    }

    private final StreamsOperator operator;
    private final KafkaStreams streams;

    public StreamsRunner(
            StreamsOperator operator,
            Config config,
            TopicBinder topics,
            Settings settings,
            SchemaRegistryClient registry) {
        this.operator = operator;
        Topology topology = operator.topology(settings, topics);
        this.streams = new KafkaStreams(
                topology,
                properties(
                        operator,
                        operator.commitInterval(settings)
                                .map(config::withCommitInterval)
                                .orElse(config),
                        topics,
                        registry));
        this.streams.setUncaughtExceptionHandler(error -> {
            LOG.error(
                    "{}: stream thread failed; replacing it, it resumes from the last commit", operator.name(), error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    static Properties properties(
            StreamsOperator operator, Config config, TopicBinder topics, SchemaRegistryClient registry) {
        Properties props = new Properties();
        props.putAll(config.kafka().common());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationIdPrefix() + operator.name());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.replicationFactor());
        props.put(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        // A commit falls due between polls; on a quiet input the default 100 ms poll would hold a due
        // commit, and the decisions in its transaction, for up to another 100 ms.
        props.put(StreamsConfig.POLL_MS_CONFIG, 10L);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(DeadLetterHandler.OPERATOR, operator.name());
        props.put(
                DeadLetterHandler.TOPIC,
                topics.bind(operator.descriptor()
                                .deadLetters()
                                .orElseThrow(() ->
                                        new IllegalStateException(operator.name() + " declares no dead-letter topic")))
                        .name());
        props.put(DeadLetterHandler.REGISTRY, registry);
        props.putAll(config.overrides());
        return props;
    }

    /**
     * The runner's properties for a TopologyTestDriver. The driver models no transactions, and under
     * exactly-once it drops the dead letters a deserialization handler returns; so it runs
     * at-least-once, and exactly-once is proven against a real broker in the integration tests.
     */
    public static Properties testProperties(
            StreamsOperator operator, Path stateDir, TopicBinder topics, SchemaRegistryClient registry) {
        Config config = new Config(
                "streamops-",
                KafkaClients.plain("unused:9092"),
                stateDir,
                StreamsConfig.AT_LEAST_ONCE,
                (short) 1,
                Duration.ofMillis(100),
                Map.of());
        return properties(operator, config, topics, registry);
    }

    public String name() {
        return operator.name();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public void start() {
        streams.start();
    }

    /** Waits until the operator is RUNNING (its tasks assigned and restored). */
    public void awaitRunning(Duration timeout) {
        Poll.until(operator.name() + " to be RUNNING", timeout, () -> {
            KafkaStreams.State state = streams.state();
            if (!state.isRunningOrRebalancing() && state != KafkaStreams.State.CREATED) {
                throw new IllegalStateException(operator.name() + " stopped: " + state);
            }
            return state == KafkaStreams.State.RUNNING;
        });
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
