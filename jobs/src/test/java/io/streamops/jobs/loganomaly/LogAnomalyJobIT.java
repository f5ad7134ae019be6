package io.streamops.jobs.loganomaly;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.common.DeadLetter;
import io.streamops.common.Mode;
import io.streamops.decisions.Anomaly;
import io.streamops.events.LogEvent;
import io.streamops.events.LogLevel;
import io.streamops.jobs.runtime.JobContext;
import io.streamops.jobs.runtime.KafkaIo;
import io.streamops.schemas.registry.CachedSchemaRegistryClient;
import io.streamops.schemas.registry.RegistryClients;
import io.streamops.schemas.registry.RestSchemaRegistryClient;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.registry.SchemaRegistryException;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.testing.TestEvents;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.Topics;
import io.streamops.testkit.TestStack;
import io.streamops.testkit.TopicReader;
import io.streamops.workflows.loganomaly.LogAnomalyWorkflow;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job against a real broker and registry (forked: this module's kafka-clients is the
 * connector's), with checkpoints and exactly-once Kafka sinks, read back read_committed.
 */
class LogAnomalyJobIT {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private static final TestStack STACK = TestStack.shared();
    private static final AtomicInteger RUN = new AtomicInteger();
    private static final LogAnomalyConfig CONFIG =
            new LogAnomalyConfig(Duration.ofSeconds(10), 5, Duration.ofSeconds(1), Duration.ofSeconds(1), Mode.SHADOW);

    private TopicNaming naming;
    private TopicBinder topics;
    private JobClient job;

    @BeforeEach
    void setUp() {
        naming = new TopicNaming("la-it" + RUN.incrementAndGet() + ".", Map.of());
        topics = TopicBinder.of(STACK.registry(), true, naming);
        STACK.createTopics(naming.resolveAll(new LogAnomalyWorkflow().topics()));
        STACK.createTopics(naming.resolve(Topics.LOGS));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
    }

    @Test
    void decidesAnomaliesAndDeadLettersThroughKafkaExactlyOnce() throws Exception {
        job = start(RegistryClients.rest(STACK.registryUrl()), 0);
        try (KafkaProducer<String, byte[]> raw =
                STACK.kafka().producer("la-it-raw", Map.of(), new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(
                            naming.resolve("logs"), 0, BEGINNING.toEpochMilli(), "payments", "plain text".getBytes()))
                    .get();
        }
        produce(List.of(burst("payments", 7, BEGINNING.plusSeconds(1)), List.of(tick(BEGINNING.plusSeconds(30)))));

        assertThat(read(LogAnomalyWorkflow.DECISIONS, 1)).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("payments");
            assertThat(r.value().getObserved()).isEqualTo(7.0);
            assertThat(r.value().getEnvelope().getEvidence().getInputs()).hasSize(5);
        });
        DeadLetter letter = read(LogAnomalyWorkflow.DEAD_LETTERS, 1).get(0).value();
        assertThat(letter.getReason()).contains("cannot deserialize").contains("unknown magic byte 0x70");
        assertThat(new String(letter.getValue().array())).isEqualTo("plain text");
    }

    @Test
    void aFailureMidStreamNeitherLosesNorDuplicatesDecisions() throws Exception {
        // The first burst is written with one schema id; later bursts with a second one. The registry
        // fails the first lookup of the second id: the task fails, the job restarts from its last
        // checkpoint, and the open transaction of the failed attempt is aborted.
        Schema evolved = evolvedLogSchema();
        int secondId = STACK.registry().register(naming.resolve("logs") + "-value", evolved);
        FailingOnce registry = new FailingOnce(STACK.registryUrl(), secondId);
        job = start(registry, 1);

        produce(List.of(burst("a", 6, BEGINNING.plusSeconds(1)), List.of(tick(BEGINNING.plusSeconds(15)))));
        read(LogAnomalyWorkflow.DECISIONS, 1);
        produceEvolved(evolved, secondId, "b", 6, BEGINNING.plusSeconds(21));
        produceEvolved(evolved, secondId, "c", 6, BEGINNING.plusSeconds(31));
        produce(List.of(List.of(tick(BEGINNING.plusSeconds(60)))));

        List<ConsumerRecord<String, Anomaly>> decided = read(LogAnomalyWorkflow.DECISIONS, 3);
        assertThat(decided).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(FailingOnce.FAILURES.get()).isEqualTo(1);
        try (TopicReader<String, Anomaly> reader = reader(LogAnomalyWorkflow.DECISIONS)) {
            assertThat(reader.readToEnd(Duration.ofSeconds(30))).hasSize(3);
        }
    }

    private JobClient start(RegistryClients registry, int restarts) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, restarts == 0 ? "none" : "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restarts);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(500);
        String id = "la-it-" + naming.prefix();
        JobContext context = new JobContext(STACK.kafka(), registry, naming, id, false);
        LogAnomalyJob.build(
                env,
                KafkaIo.source(context, id, List.of(naming.resolve("logs"))),
                KafkaIo.sink(context, context.name(LogAnomalyWorkflow.DECISIONS), id, Anomaly::getService),
                KafkaIo.sink(
                        context,
                        context.name(LogAnomalyWorkflow.DEAD_LETTERS),
                        id + "-dlq",
                        LogAnomalyJob::deadLetterKey),
                CONFIG,
                registry);
        return env.executeAsync("log-anomaly-it");
    }

    private static List<LogEvent> burst(String service, int errors, Instant at) {
        return IntStream.range(0, errors)
                .mapToObj(i -> TestEvents.log(service + "-" + i, at.plusMillis(i), service, LogLevel.ERROR)
                        .build())
                .toList();
    }

    /** An INFO line from a quiet service that moves event time on. */
    private static LogEvent tick(Instant at) {
        return TestEvents.log("tick-" + at.toEpochMilli(), at, "clock", LogLevel.INFO)
                .build();
    }

    private void produce(List<List<LogEvent>> batches) {
        BoundTopic<String, LogEvent> logs = topics.bind(Topics.LOGS);
        try (KafkaProducer<String, LogEvent> producer = STACK.kafka()
                .producer(
                        "la-it-logs",
                        Map.of(),
                        new StringSerializer(),
                        logs.value().serializer())) {
            for (List<LogEvent> batch : batches) {
                for (LogEvent e : batch) {
                    // Every partition sees the tick, so that none holds event time back.
                    int partitions = e.getService().equals("clock") ? Topics.LOGS.partitions() : 1;
                    for (int p = 0; p < partitions; p++) {
                        producer.send(new ProducerRecord<>(
                                logs.name(),
                                e.getService().equals("clock") ? p : null,
                                e.getOccurredAt().toEpochMilli(),
                                e.getService(),
                                e));
                    }
                }
            }
            producer.flush();
        }
    }

    private void produceEvolved(Schema evolved, int schemaId, String service, int errors, Instant at) throws Exception {
        try (KafkaProducer<String, byte[]> producer =
                STACK.kafka().producer("la-it-raw", Map.of(), new StringSerializer(), new ByteArraySerializer())) {
            for (LogEvent e : burst(service, errors, at)) {
                producer.send(new ProducerRecord<>(
                                naming.resolve("logs"),
                                null,
                                e.getOccurredAt().toEpochMilli(),
                                service,
                                EvolvedLogs.encode(evolved, schemaId, e)))
                        .get();
            }
        }
    }

    private static Schema evolvedLogSchema() {
        // LogEvent with one more optional field: a compatible later version with its own id.
        String json = LogEvent.getClassSchema()
                .toString()
                .replace(
                        "{\"name\":\"eventId\"",
                        "{\"name\":\"region\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"eventId\"");
        return new Schema.Parser().parse(json);
    }

    private <V> List<ConsumerRecord<String, V>> read(Topic<String, V> topic, int atLeast) {
        try (TopicReader<String, V> reader = reader(topic)) {
            return reader.readUntil(Duration.ofSeconds(90), seen -> seen.size() >= atLeast);
        }
    }

    private <V> TopicReader<String, V> reader(Topic<String, V> topic) {
        BoundTopic<String, V> bound = topics.bind(topic);
        return new TopicReader<>(
                STACK.kafka(),
                bound.name(),
                bound.key().deserializer(),
                bound.value().deserializer());
    }

    /** A registry client whose first lookup of one schema id fails, as during a registry outage. */
    static final class FailingOnce implements RegistryClients {
        static final AtomicInteger FAILURES = new AtomicInteger();
        private final String url;
        private final int failingId;

        FailingOnce(String url, int failingId) {
            this.url = url;
            this.failingId = failingId;
        }

        @Override
        public SchemaRegistryClient create() {
            SchemaRegistryClient real = new CachedSchemaRegistryClient(new RestSchemaRegistryClient(url));
            return (SchemaRegistryClient) Proxy.newProxyInstance(
                    SchemaRegistryClient.class.getClassLoader(),
                    new Class<?>[] {SchemaRegistryClient.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("getById")
                                && (int) args[0] == failingId
                                && FAILURES.compareAndSet(0, 1)) {
                            throw new SchemaRegistryException(503, 50001, "injected registry outage");
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
