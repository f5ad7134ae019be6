package io.streamops.topologies.ratelimit;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.common.DeadLetter;
import io.streamops.common.Mode;
import io.streamops.decisions.RateLimit;
import io.streamops.decisions.RateLimitAction;
import io.streamops.events.RequestEvent;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.testing.InMemorySchemaRegistry;
import io.streamops.schemas.testing.TestEvents;
import io.streamops.schemas.topics.Topics;
import io.streamops.topologies.runtime.StreamsRunner;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestRateTopologyTest {

    private static final RequestRateConfig CONFIG =
            new RequestRateConfig(Duration.ofSeconds(10), Duration.ofSeconds(5), 3, Mode.SHADOW);

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final TopicBinder topics = TopicBinder.of(registry);
    private TopologyTestDriver driver;
    private TestInputTopic<String, RequestEvent> requests;
    private TestInputTopic<String, byte[]> rawRequests;
    private TestOutputTopic<String, RateLimit> limits;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private int sequence;

    @BeforeEach
    void setUp() {
        start(StreamsRunner.testProperties(new RequestRateOperator(), stateDir, topics, registry));
    }

    private void start(Properties props) {
        StreamsBuilder builder = new StreamsBuilder();
        RequestRateTopology.build(builder, CONFIG, topics);
        driver = new TopologyTestDriver(builder.build(), props, BEGINNING);
        BoundTopic<String, RequestEvent> in = topics.bind(Topics.REQUESTS);
        requests = driver.createInputTopic(
                Topics.REQUESTS.name(), new StringSerializer(), in.value().serializer());
        rawRequests =
                driver.createInputTopic(Topics.REQUESTS.name(), new StringSerializer(), new ByteArraySerializer());
        BoundTopic<String, RateLimit> out = topics.bind(RateLimitWorkflow.DECISIONS);
        limits = driver.createOutputTopic(
                RateLimitWorkflow.DECISIONS.name(),
                out.key().deserializer(),
                out.value().deserializer());
        BoundTopic<String, DeadLetter> dlq = topics.bind(RateLimitWorkflow.DEAD_LETTERS);
        deadLetters = driver.createOutputTopic(
                RateLimitWorkflow.DEAD_LETTERS.name(),
                dlq.key().deserializer(),
                dlq.value().deserializer());
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void decidesALimitTheMomentAClientExceedsItWithinAWindow() {
        send("192.0.2.1", 4, BEGINNING);

        List<KeyValue<String, RateLimit>> decided = limits.readKeyValuesToList();
        assertThat(decided).hasSize(1);
        RateLimit limit = decided.get(0).value;
        assertThat(decided.get(0).key).isEqualTo("ip:192.0.2.1");
        assertThat(limit.getKey()).isEqualTo("ip:192.0.2.1");
        assertThat(limit.getAction()).isEqualTo(RateLimitAction.THROTTLE);
        assertThat(limit.getLimitPerSecond()).isEqualTo(0.3);
        assertThat(limit.getExpiresAt()).isEqualTo(BEGINNING.plusSeconds(10));
    }

    @Test
    void theDecisionCarriesItsEvidencePolicyAndMode() {
        send("192.0.2.1", 4, BEGINNING.plusSeconds(2));

        RateLimit limit = limits.readValue();
        var envelope = limit.getEnvelope();
        assertThat(envelope.getOperator()).isEqualTo("request-rate");
        assertThat(envelope.getPolicy().getName()).isEqualTo("fixed-window-threshold");
        assertThat(envelope.getPolicy().getVersion()).isEqualTo(1);
        assertThat(envelope.getMode()).isEqualTo(Mode.SHADOW);
        assertThat(envelope.getEventTime()).isEqualTo(BEGINNING.plusSeconds(2));
        assertThat(envelope.getDecisionTime()).isEqualTo(BEGINNING);
        var evidence = envelope.getEvidence();
        assertThat(evidence.getMeasurements()).containsEntry("count", 4.0);
        assertThat(evidence.getThresholds()).containsEntry("limit", 3.0);
        assertThat(evidence.getWindowStart()).isEqualTo(BEGINNING);
        assertThat(evidence.getWindowEnd()).isEqualTo(BEGINNING.plusSeconds(10));
        assertThat(evidence.getInputs()).singleElement().satisfies(input -> {
            assertThat(input.getTopic()).isEqualTo("requests");
            assertThat(input.getOffset()).isEqualTo(3);
            assertThat(input.getEventId()).isEqualTo("r-4");
        });
        assertThat(evidence.getSummary())
                .contains("ip:192.0.2.1 sent 4 requests")
                .contains("the limit is 3");
    }

    @Test
    void decidesOncePerClientAndWindow() {
        send("192.0.2.1", 10, BEGINNING);

        assertThat(limits.readValuesToList()).hasSize(1);
    }

    @Test
    void stayingAtTheLimitDecidesNothing() {
        send("192.0.2.1", 3, BEGINNING);

        assertThat(limits.isEmpty()).isTrue();
    }

    @Test
    void eachWindowCountsAfresh() {
        send("192.0.2.1", 3, BEGINNING.plusSeconds(8));
        send("192.0.2.1", 3, BEGINNING.plusSeconds(11));

        assertThat(limits.isEmpty()).isTrue();
    }

    @Test
    void clientsAreCountedApartAndPrincipalsBeforeAddresses() {
        send("192.0.2.1", 2, BEGINNING);
        send("192.0.2.2", 2, BEGINNING);
        IntStream.range(0, 4)
                .forEach(i -> requests.pipeInput(
                        "user:alice",
                        TestEvents.request("alice-" + i, BEGINNING)
                                .setPrincipal("alice")
                                .setClientAddress("192.0.2." + i)
                                .build(),
                        BEGINNING));

        assertThat(limits.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("user:alice");
    }

    @Test
    void replayingTheSameInputsGivesTheSameDecisionId() {
        send("192.0.2.1", 4, BEGINNING);
        String first = limits.readValue().getEnvelope().getDecisionId();
        tearDown();
        setUp();
        send("192.0.2.1", 4, BEGINNING);

        assertThat(limits.readValue().getEnvelope().getDecisionId()).isEqualTo(first);
    }

    @Test
    void anUnreadableRecordGoesToTheDeadLetterTopicAndProcessingGoesOn() {
        byte[] garbage = "not avro".getBytes();
        rawRequests.pipeInput("ip:192.0.2.9", garbage, BEGINNING);
        send("192.0.2.1", 4, BEGINNING);

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getOperator()).isEqualTo("request-rate");
        assertThat(letter.getSourceTopic()).isEqualTo("requests");
        assertThat(letter.getOffset()).isEqualTo(0);
        assertThat(letter.getReason()).contains("cannot deserialize").contains("unknown magic byte");
        assertThat(letter.getValue().array()).isEqualTo(garbage);
        assertThat(new String(letter.getKey().array())).isEqualTo("ip:192.0.2.9");
        assertThat(limits.readValuesToList()).hasSize(1);
    }

    @Test
    void aRegistryOutageFailsTheTaskInsteadOfDeadLetteringGoodRecords() {
        byte[] valid = topics.bind(Topics.REQUESTS)
                .value()
                .serializer()
                .serialize("requests", TestEvents.request("r-x", BEGINNING).build());
        TopicBinder outage =
                TopicBinder.of(new FailingRegistry(), true, io.streamops.schemas.topics.TopicNaming.DECLARED);
        StreamsBuilder builder = new StreamsBuilder();
        RequestRateTopology.build(builder, CONFIG, outage);
        try (TopologyTestDriver down = new TopologyTestDriver(
                builder.build(),
                StreamsRunner.testProperties(new RequestRateOperator(), stateDir.resolve("down"), outage, registry),
                BEGINNING)) {
            TestInputTopic<String, byte[]> in =
                    down.createInputTopic(Topics.REQUESTS.name(), new StringSerializer(), new ByteArraySerializer());

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> in.pipeInput("ip:192.0.2.1", valid, BEGINNING))
                    .hasStackTraceContaining("registry down");
        }
    }

    /** A registry that cannot be reached. */
    static final class FailingRegistry extends InMemorySchemaRegistry {
        @Override
        public synchronized org.apache.avro.Schema getById(int id) {
            throw new io.streamops.schemas.registry.SchemaRegistryException(503, 50001, "registry down");
        }
    }

    @Test
    void expiredWindowsAreDroppedFromState() {
        // The store's cache holds at most statestore.cache.max.bytes; without it the store is its
        // persistent segments alone, which is what must not grow.
        driver.close();
        Properties uncached =
                StreamsRunner.testProperties(new RequestRateOperator(), stateDir.resolve("uncached"), topics, registry);
        uncached.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        start(uncached);
        send("192.0.2.1", 2, BEGINNING);
        send("192.0.2.2", 2, BEGINNING.plusSeconds(1));
        WindowStore<String, Long> store = driver.getWindowStore(RequestRateTopology.STORE);
        assertThat(countEntries(store)).isEqualTo(2);

        // Stream time moves on by far more than the window, its grace and a store segment.
        send("192.0.2.3", 1, BEGINNING.plus(Duration.ofMinutes(10)));

        assertThat(countEntries(store)).isEqualTo(1);
    }

    private void send(String address, int count, Instant at) {
        for (int i = 0; i < count; i++) {
            sequence++;
            requests.pipeInput(
                    "ip:" + address,
                    TestEvents.request("r-" + sequence, at)
                            .setClientAddress(address)
                            .build(),
                    at);
        }
    }

    private static int countEntries(WindowStore<String, Long> store) {
        int n = 0;
        try (KeyValueIterator<Windowed<String>, Long> all = store.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }
}
