package io.streamops.topologies.ratelimit;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.common.DeadLetter;
import io.streamops.decisions.RateLimit;
import io.streamops.events.RequestEvent;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.testing.TestEvents;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.Topics;
import io.streamops.schemas.wait.Poll;
import io.streamops.testkit.Directories;
import io.streamops.testkit.TestStack;
import io.streamops.testkit.TopicReader;
import io.streamops.topologies.runtime.StreamsRunner;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator against a real broker and registry, under exactly_once_v2. Each test runs on topics
 * of its own (a name prefix), so tests never see each other's data.
 */
class RequestRateTopologyIT {

    private static final TestStack STACK = TestStack.shared();
    private static final AtomicInteger RUN = new AtomicInteger();

    /** 100 a minute per client address, all at once if it likes: a client's 101st request goes over. */
    private static final String POLICY = """
            domain: rr-it
            descriptors:
              - key: remote_address
                rate_limit: {unit: minute, requests_per_unit: 100, burst: 100}
            """;

    private Path stateDir;
    private TopicNaming naming;
    private StreamsRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        stateDir = Files.createTempDirectory("request-rate-it");
        naming = new TopicNaming("rr-it" + RUN.incrementAndGet() + ".", Map.of());
        STACK.createTopics(naming.resolveAll(new RateLimitWorkflow().topics()));
        STACK.createTopics(naming.resolve(Topics.REQUESTS));
    }

    @AfterEach
    void tearDown() {
        if (runner != null) {
            runner.close();
        }
        Directories.deleteQuietly(stateDir);
    }

    @Test
    void anUnreadableRecordIsDeadLetteredAndTheOperatorKeepsRunning() throws Exception {
        start(TopicBinder.of(STACK.registry(), true, naming));

        try (KafkaProducer<String, byte[]> raw =
                STACK.kafka().producer("rr-it-raw", Map.of(), new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(
                            naming.resolve(Topics.REQUESTS.name()), "ip:198.51.100.7", "{\"not\":\"avro\"}".getBytes()))
                    .get(30, TimeUnit.SECONDS);
        }
        produceRequests(List.of("198.51.100.1"), 101);

        DeadLetter letter = read(RateLimitWorkflow.DEAD_LETTERS, 1).get(0).value();
        assertThat(letter.getReason()).contains("cannot deserialize").contains("unknown magic byte 0x7b");
        assertThat(new String(letter.getValue().array())).isEqualTo("{\"not\":\"avro\"}");
        assertThat(letter.getSourceTopic()).isEqualTo(naming.resolve(Topics.REQUESTS.name()));
        assertThat(read(RateLimitWorkflow.DECISIONS, 1))
                .singleElement()
                .satisfies(r -> assertThat(r.key()).isEqualTo("rr-it|remote_address=198.51.100.1"));
        assertThat(runner.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    @Test
    void aCrashMidTransactionNeitherLosesNorDuplicatesDecisions() throws Exception {
        // The second decision's serialization fails once: the stream thread dies mid-transaction, is
        // replaced, and resumes from the last commit with its state restored to match.
        FailingOnce binder = new FailingOnce(TopicBinder.of(STACK.registry(), true, naming), 2);
        start(binder);
        List<String> clients = List.of("203.0.113.1", "203.0.113.2", "203.0.113.3");

        produceRequests(clients, 150);

        List<ConsumerRecord<String, RateLimit>> decisions = read(RateLimitWorkflow.DECISIONS, clients.size());
        Poll.until("the injected failure", Duration.ofSeconds(5), () -> binder.failures.get() == 1);
        assertThat(decisions)
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(
                        "rr-it|remote_address=203.0.113.1",
                        "rr-it|remote_address=203.0.113.2",
                        "rr-it|remote_address=203.0.113.3");
        assertThat(decisions)
                .allSatisfy(
                        d -> assertThat(d.value().getEnvelope().getEvidence().getMeasurements())
                                .containsEntry("admitted", 101.0));
        try (TopicReader<String, RateLimit> reader = reader(RateLimitWorkflow.DECISIONS)) {
            assertThat(reader.readToEnd(Duration.ofSeconds(30))).hasSize(clients.size());
        }
    }

    private void start(TopicBinder topics) throws Exception {
        Path policy = Files.writeString(stateDir.resolve("policy.yaml"), POLICY);
        Settings settings = Settings.of(
                Map.of("streamops.ratelimit.mode", "enforce", "streamops.ratelimit.policy.file", policy.toString()));
        StreamsRunner.Config config = new StreamsRunner.Config(
                "streamops-" + naming.prefix(),
                STACK.kafka(),
                stateDir,
                "exactly_once_v2",
                (short) 1,
                Duration.ofMillis(100),
                // The broker's minimum: a replaced thread's group rejoins sooner.
                Map.of("consumer.session.timeout.ms", "6000"));
        runner = new StreamsRunner(new RequestRateOperator(), config, topics, settings, STACK.registry());
        runner.start();
        runner.awaitRunning(Duration.ofSeconds(60));
    }

    private void produceRequests(List<String> clients, int perClient) {
        BoundTopic<String, RequestEvent> requests =
                TopicBinder.of(STACK.registry(), true, naming).bind(Topics.REQUESTS);
        try (KafkaProducer<String, RequestEvent> producer = STACK.kafka()
                .producer(
                        "rr-it-requests",
                        Map.of("linger.ms", 5),
                        new StringSerializer(),
                        requests.value().serializer())) {
            for (int i = 0; i < perClient; i++) {
                for (String client : clients) {
                    RequestEvent request = TestEvents.request(client + "-" + i, BEGINNING.plusMillis(i))
                            .setClientAddress(client)
                            .build();
                    producer.send(new ProducerRecord<>(requests.name(), "ip:" + client, request));
                }
            }
            producer.flush();
        }
    }

    private <V> List<ConsumerRecord<String, V>> read(Topic<String, V> topic, int atLeast) {
        try (TopicReader<String, V> reader = reader(topic)) {
            return reader.readUntil(Duration.ofSeconds(60), seen -> seen.size() >= atLeast);
        }
    }

    private <V> TopicReader<String, V> reader(Topic<String, V> topic) {
        BoundTopic<String, V> bound =
                TopicBinder.of(STACK.registry(), true, naming).bind(topic);
        return new TopicReader<>(
                STACK.kafka(),
                bound.name(),
                bound.key().deserializer(),
                bound.value().deserializer());
    }

    /** A binder whose rate-limit serializer fails once, on its Nth record. */
    private static final class FailingOnce implements TopicBinder {
        final AtomicInteger failures = new AtomicInteger();
        private final TopicBinder delegate;
        private final int failOn;
        private final AtomicInteger serialized = new AtomicInteger();

        FailingOnce(TopicBinder delegate, int failOn) {
            this.delegate = delegate;
            this.failOn = failOn;
        }

        @Override
        public <K, V> BoundTopic<K, V> bind(Topic<K, V> declared) {
            BoundTopic<K, V> bound = delegate.bind(declared);
            if (declared != RateLimitWorkflow.DECISIONS) {
                return bound;
            }
            Serializer<V> real = bound.value().serializer();
            Serializer<V> failing = (topic, value) -> {
                if (serialized.incrementAndGet() == failOn && failures.getAndIncrement() == 0) {
                    throw new IllegalStateException("injected failure serializing decision " + failOn);
                }
                return real.serialize(topic, value);
            };
            Serde<V> value = Serdes.serdeFrom(failing, bound.value().deserializer());
            return new BoundTopic<>(bound.topic(), bound.key(), value);
        }

        @Override
        public <V extends SpecificRecord> Serde<V> internal(Class<V> type) {
            return delegate.internal(type);
        }
    }
}
