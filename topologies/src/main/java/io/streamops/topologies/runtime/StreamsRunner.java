package io.streamops.topologies.runtime;

import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.TopicBinder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
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
            String bootstrapServers,
            Path stateDir,
            String processingGuarantee,
            short replicationFactor,
            Duration commitInterval,
            Map<String, String> overrides) {
        static final String OVERRIDE_PREFIX = "streamops.streams.config.";

        public Config {
            overrides = Map.copyOf(overrides);
        }

        static final List<String> KEYS = List.of(
                "streamops.streams.state.dir",
                "streamops.streams.processing.guarantee",
                "streamops.streams.commit.interval",
                "streamops.streams.application.prefix");

        public static Config from(Settings settings, Path defaultStateDir) {
            List<String> unknown = settings.asMap().keySet().stream()
                    .filter(k ->
                            k.startsWith("streamops.streams.") && !k.startsWith(OVERRIDE_PREFIX) && !KEYS.contains(k))
                    .toList();
            if (!unknown.isEmpty()) {
                throw new ConfigException(
                        "unknown configuration key(s) " + unknown + "; known under streamops.streams.: " + KEYS
                                + " and " + OVERRIDE_PREFIX + "<any Kafka Streams property>");
            }
            Map<String, String> overrides = new TreeMap<>();
            settings.asMap().forEach((k, v) -> {
                if (k.startsWith(OVERRIDE_PREFIX)) {
                    overrides.put(k.substring(OVERRIDE_PREFIX.length()), v);
                }
            });
            return new Config(
                    settings.string("streamops.streams.application.prefix", "streamops-"),
                    settings.required("streamops.kafka.bootstrap"),
                    Path.of(settings.string("streamops.streams.state.dir", defaultStateDir.toString())),
                    settings.string("streamops.streams.processing.guarantee", StreamsConfig.EXACTLY_ONCE_V2),
                    (short) settings.integer("streamops.replication.factor", 1),
                    settings.duration("streamops.streams.commit.interval", Duration.ofMillis(100)),
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
        this.streams = new KafkaStreams(topology, properties(operator, config, topics, registry));
        this.streams.setUncaughtExceptionHandler(error -> {
            LOG.error(
                    "{}: stream thread failed; replacing it, it resumes from the last commit", operator.name(), error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    static Properties properties(
            StreamsOperator operator, Config config, TopicBinder topics, SchemaRegistryClient registry) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationIdPrefix() + operator.name());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
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
        props.put(DeadLetterHandler.TOPIC, topics.bind(operator.deadLetters()).name());
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
                "unused:9092",
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
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (!streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
                throw new IllegalStateException(operator.name() + " stopped: " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        operator.name() + " not running after " + timeout + ": " + streams.state());
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
    }
}
