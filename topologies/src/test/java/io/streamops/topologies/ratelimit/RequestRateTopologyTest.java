package io.streamops.topologies.ratelimit;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.common.DeadLetter;
import io.streamops.common.Mode;
import io.streamops.decisions.DescriptorEntry;
import io.streamops.decisions.RateLimit;
import io.streamops.decisions.RateLimitAction;
import io.streamops.events.RequestEvent;
import io.streamops.ratelimit.RateLimitPolicy;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.testing.InMemorySchemaRegistry;
import io.streamops.schemas.testing.TestEvents;
import io.streamops.schemas.topics.Topics;
import io.streamops.topologies.runtime.StreamsRunner;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import io.streamops.workflows.ratelimit.policy.RulesParser;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The global GCRA per bucket: what it decides, from which requests, with what evidence, and what it forgets. */
class RequestRateTopologyTest {

    /** 3 a second per address, all three at once; and 5 a minute per API key, in shadow mode. */
    static final String POLICY = """
            domain: test
            descriptors:
              - key: remote_address
                rate_limit: {unit: second, requests_per_unit: 3}
              - key: x-api-key
                shadow_mode: true
                rate_limit: {unit: minute, requests_per_unit: 5, burst: 5}
            """;

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final TopicBinder topics = TopicBinder.of(registry);
    private TopologyTestDriver driver;
    private TestInputTopic<String, RequestEvent> requests;
    private TestInputTopic<String, byte[]> rawRequests;
    private TestInputTopic<String, RateLimitPolicy> policies;
    private TestOutputTopic<String, RateLimit> limits;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private int sequence;

    private void start(RequestRateConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        RequestRateTopology.build(builder, config, topics);
        driver = new TopologyTestDriver(
                builder.build(),
                StreamsRunner.testProperties(new RequestRateOperator(), stateDir, topics, registry),
                BEGINNING);
        BoundTopic<String, RequestEvent> in = topics.bind(Topics.REQUESTS);
        requests = driver.createInputTopic(
                in.name(), new StringSerializer(), in.value().serializer());
        rawRequests = driver.createInputTopic(in.name(), new StringSerializer(), new ByteArraySerializer());
        BoundTopic<String, RateLimitPolicy> config2 = topics.bind(RateLimitWorkflow.POLICIES);
        policies = driver.createInputTopic(
                config2.name(), new StringSerializer(), config2.value().serializer());
        BoundTopic<String, RateLimit> out = topics.bind(RateLimitWorkflow.DECISIONS);
        limits = driver.createOutputTopic(
                out.name(), out.key().deserializer(), out.value().deserializer());
        BoundTopic<String, DeadLetter> dlq = topics.bind(RateLimitWorkflow.DEAD_LETTERS);
        deadLetters = driver.createOutputTopic(
                dlq.name(), dlq.key().deserializer(), dlq.value().deserializer());
    }

    private void startEnforcing() {
        start(new RequestRateConfig(Mode.ENFORCE, Optional.empty()));
        apply(POLICY, 1);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void aBucketOverItsLimitIsLimitedUntilItsNextRequestWouldConform() {
        startEnforcing();

        send("gw-a", "192.0.2.1", 4, BEGINNING);

        List<KeyValue<String, RateLimit>> decided = limits.readKeyValuesToList();
        assertThat(decided).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("test|remote_address=192.0.2.1");
            RateLimit limit = kv.value;
            assertThat(limit.getKey()).isEqualTo(kv.key);
            assertThat(limit.getDomain()).isEqualTo("test");
            assertThat(limit.getDescriptor()).containsExactly(new DescriptorEntry("remote_address", "192.0.2.1"));
            assertThat(limit.getRule().getRequestsPerUnit()).isEqualTo(3);
            assertThat(limit.getRule().getBurst()).isEqualTo(3);
            assertThat(limit.getAction()).isEqualTo(RateLimitAction.BLOCK);
            // Three conformed at BEGINNING and a gateway served the fourth over the limit: it is owed, so
            // the next request conforms two emission intervals (2/3 s) later.
            assertThat(limit.getExpiresAt()).isEqualTo(BEGINNING.plusMillis(666));
            assertThat(limit.getEnvelope().getMode()).isEqualTo(Mode.ENFORCE);
        });
    }

    @Test
    void whatGatewaysServedBeyondALimitIsPaidBackByTheNext() {
        startEnforcing();
        // Five at once: three conform, two are served before the limit reaches the gateways.
        send("gw-a", "192.0.2.1", 5, BEGINNING);
        assertThat(limits.readValue().getExpiresAt()).isEqualTo(BEGINNING.plusMillis(666));

        // The first limit has lapsed, but the overshoot is still owed.
        send("gw-a", "192.0.2.1", 1, BEGINNING.plusMillis(700));

        assertThat(limits.readValue().getExpiresAt())
                .as("six requests served by 0.7 s: the next conforms at 6/3 s less the burst's 2/3 s")
                .isEqualTo(BEGINNING.plusMillis(1333));
    }

    @Test
    void theDecisionCarriesItsEvidence() {
        startEnforcing();
        send("gw-a", "192.0.2.1", 2, BEGINNING);
        send("gw-b", "192.0.2.1", 2, BEGINNING.plusMillis(100));

        RateLimit limit = limits.readValue();
        var envelope = limit.getEnvelope();
        assertThat(envelope.getOperator()).isEqualTo("request-rate");
        assertThat(envelope.getPolicy().getName()).isEqualTo("gcra");
        assertThat(envelope.getEventTime()).isEqualTo(BEGINNING.plusMillis(100));
        assertThat(limit.getInstances()).as("the gateways it came through").containsExactly("gw-a", "gw-b");
        var evidence = envelope.getEvidence();
        assertThat(evidence.getMeasurements()).containsEntry("admitted", 4.0).containsEntry("gateways", 2.0);
        assertThat(evidence.getThresholds())
                .containsEntry("requestsPerUnit", 3.0)
                .containsEntry("burst", 3.0);
        assertThat(evidence.getInputs()).singleElement().satisfies(input -> {
            assertThat(input.getEventId()).isEqualTo("r-4");
            assertThat(input.getOffset()).isEqualTo(3);
        });
        assertThat(evidence.getSummary())
                .contains("test|remote_address=192.0.2.1: 4 requests admitted")
                .contains("2 gateway(s)")
                .contains("the limit is 3 per second");
    }

    @Test
    void oneLimitPerEpisodeAndANewOneWhenTheClientComesBackOverIt() {
        startEnforcing();

        send("gw-a", "192.0.2.1", 10, BEGINNING);
        assertThat(limits.readValuesToList())
                .as("one decision while the limit holds")
                .hasSize(1);

        send("gw-a", "192.0.2.1", 10, BEGINNING.plusSeconds(5));
        assertThat(limits.readValuesToList()).as("after it lapsed, over again").hasSize(1);
    }

    @Test
    void atTheLimitNothingIsDecided() {
        startEnforcing();

        send("gw-a", "192.0.2.1", 3, BEGINNING);
        send("gw-a", "192.0.2.1", 1, BEGINNING.plusMillis(334));

        assertThat(limits.isEmpty()).isTrue();
    }

    @Test
    void aSumAHairOverTheLimitIsClockSkewNotAnOffence() {
        startEnforcing();

        send("gw-a", "192.0.2.1", 3, BEGINNING);
        // The next conforms at 333.3 ms; gateways admitting their exact shares can be a few ms early.
        send("gw-b", "192.0.2.1", 1, BEGINNING.plusMillis(330));
        assertThat(limits.isEmpty()).isTrue();

        send("gw-b", "192.0.2.1", 1, BEGINNING.plusMillis(331));
        assertThat(limits.readValuesToList()).as("well ahead of its time").hasSize(1);
    }

    @Test
    void requestsGatewaysRefusedDoNotCountButThrottleTheBucket() {
        startEnforcing();
        send("gw-a", "192.0.2.1", 3, BEGINNING);

        refused("gw-a", "192.0.2.1", 5, BEGINNING.plusMillis(10));

        assertThat(limits.readValuesToList()).singleElement().satisfies(limit -> {
            assertThat(limit.getAction()).isEqualTo(RateLimitAction.THROTTLE);
            assertThat(limit.getExpiresAt()).as("held for 10 s").isEqualTo(BEGINNING.plusMillis(10_010));
            assertThat(limit.getEnvelope().getEvidence().getMeasurements())
                    .containsEntry("admitted", 3.0)
                    .containsEntry("refused", 1.0);
            assertThat(limit.getEnvelope().getEvidence().getSummary()).contains("1 more refused by their shares");
        });
        // The refused five were not owed: the next request conforms when three alone allow it.
        send("gw-a", "192.0.2.1", 1, BEGINNING.plusMillis(334));
        assertThat(limits.isEmpty()).isTrue();
    }

    @Test
    void noThrottleWhileABlockHoldsAndANewOneOnceItLapses() {
        startEnforcing();
        send("gw-a", "192.0.2.1", 4, BEGINNING);
        assertThat(limits.readValue().getAction()).isEqualTo(RateLimitAction.BLOCK);

        refused("gw-a", "192.0.2.1", 3, BEGINNING.plusMillis(100));
        assertThat(limits.isEmpty()).as("the block's own refusals").isTrue();

        refused("gw-a", "192.0.2.1", 1, BEGINNING.plusSeconds(1));
        assertThat(limits.readValue().getAction()).isEqualTo(RateLimitAction.THROTTLE);
        refused("gw-a", "192.0.2.1", 1, BEGINNING.plusSeconds(5));
        assertThat(limits.isEmpty()).as("one throttle while it holds").isTrue();
        refused("gw-a", "192.0.2.1", 1, BEGINNING.plusSeconds(12));
        assertThat(limits.readValue().getAction()).isEqualTo(RateLimitAction.THROTTLE);
    }

    @Test
    void aShadowRuleDecidesInShadowModeAndHeaderValuesComeFromTheEvent() {
        startEnforcing();

        for (int i = 0; i < 6; i++) {
            requests.pipeInput(
                    "ip:192.0.2." + i,
                    request("gw-a", "192.0.2." + i, BEGINNING)
                            .setAttributes(Map.of("header:x-api-key", "key-1"))
                            .build(),
                    BEGINNING);
        }

        assertThat(limits.readValue()).satisfies(limit -> {
            assertThat(limit.getKey()).isEqualTo("test|x-api-key=key-1");
            assertThat(limit.getEnvelope().getMode()).isEqualTo(Mode.SHADOW);
        });
    }

    @Test
    void anOperatorInShadowModeDecidesInShadowMode() {
        start(new RequestRateConfig(Mode.SHADOW, Optional.empty()));
        apply(POLICY, 1);

        send("gw-a", "192.0.2.1", 10, BEGINNING);

        RateLimit limit = limits.readValue();
        assertThat(limit.getEnvelope().getMode()).isEqualTo(Mode.SHADOW);
        assertThat(limit.getExpiresAt())
                .as("in shadow nothing over the limit was refused, and what would have been is not owed")
                .isEqualTo(BEGINNING.plusMillis(333));
    }

    @Test
    void aNewPolicyVersionIsInForceAtOnce() {
        startEnforcing();
        apply(POLICY.replace("requests_per_unit: 3}", "requests_per_unit: 100}"), 2);

        send("gw-a", "192.0.2.1", 4, BEGINNING);

        assertThat(limits.isEmpty()).isTrue();
    }

    @Test
    void aFixedPolicyReplacesTheAppliedOnesInAReplay() {
        start(new RequestRateConfig(
                Mode.ENFORCE, Optional.of(RulesParser.parse(POLICY.replace("domain: test", "domain: new")))));
        apply(POLICY.replace("requests_per_unit: 3}", "requests_per_unit: 100}"), 1);

        send("gw-a", "192.0.2.1", 4, BEGINNING);

        assertThat(limits.readValue().getKey()).isEqualTo("new|remote_address=192.0.2.1");
    }

    @Test
    void replayingTheSameInputsGivesTheSameDecisionId() {
        startEnforcing();
        send("gw-a", "192.0.2.1", 4, BEGINNING);
        String first = limits.readValue().getEnvelope().getDecisionId();
        driver.close();
        stateDir = stateDir.resolve("again");
        startEnforcing();
        send("gw-a", "192.0.2.1", 4, BEGINNING);

        assertThat(limits.readValue().getEnvelope().getDecisionId()).isEqualTo(first);
    }

    @Test
    void anUnreadableRecordGoesToTheDeadLetterTopicAndProcessingGoesOn() {
        startEnforcing();
        byte[] garbage = "not avro".getBytes();
        rawRequests.pipeInput("ip:192.0.2.9", garbage, BEGINNING);
        send("gw-a", "192.0.2.1", 4, BEGINNING);

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getOperator()).isEqualTo("request-rate");
        assertThat(letter.getSourceTopic()).isEqualTo("requests");
        assertThat(letter.getReason()).contains("cannot deserialize").contains("unknown magic byte");
        assertThat(letter.getValue().array()).isEqualTo(garbage);
        assertThat(limits.readValuesToList()).hasSize(1);
    }

    @Test
    void bucketsWhoseTatAndLimitHaveLapsedAreDropped() {
        startEnforcing();
        send("gw-a", "192.0.2.1", 4, BEGINNING);
        send("gw-a", "192.0.2.2", 1, BEGINNING);
        KeyValueStore<String, BucketState> store = driver.getKeyValueStore(RequestRateTopology.STORE);
        assertThat(count(store)).isEqualTo(2);

        // Stream time moves on well past every TAT, limit and sweep.
        send("gw-a", "192.0.2.3", 1, BEGINNING.plus(Duration.ofMinutes(1)));
        send("gw-a", "192.0.2.3", 1, BEGINNING.plus(Duration.ofMinutes(1)).plus(GlobalGcra.SWEEP));

        assertThat(count(store)).as("only the bucket still active").isEqualTo(1);
    }

    private void apply(String yaml, long version) {
        policies.pipeInput(
                RulesParser.parse(yaml).domain(),
                RateLimitPolicy.newBuilder()
                        .setDomain(RulesParser.parse(yaml).domain())
                        .setYaml(yaml)
                        .setVersion(version)
                        .setSource("test")
                        .setAppliedAt(BEGINNING)
                        .build(),
                BEGINNING);
    }

    private void send(String gateway, String address, int count, Instant at) {
        for (int i = 0; i < count; i++) {
            requests.pipeInput("ip:" + address, request(gateway, address, at).build(), at);
        }
    }

    private void refused(String gateway, String address, int count, Instant at) {
        for (int i = 0; i < count; i++) {
            requests.pipeInput(
                    "ip:" + address,
                    request(gateway, address, at)
                            .setStatus(429)
                            .setAttributes(Map.of("ratelimit", "refused"))
                            .build(),
                    at);
        }
    }

    private RequestEvent.Builder request(String gateway, String address, Instant at) {
        sequence++;
        return TestEvents.request("r-" + sequence, at).setGatewayId(gateway).setClientAddress(address);
    }

    private static int count(KeyValueStore<String, BucketState> store) {
        int n = 0;
        try (KeyValueIterator<String, BucketState> all = store.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }
}
