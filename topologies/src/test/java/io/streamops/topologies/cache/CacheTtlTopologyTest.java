package io.streamops.topologies.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.cache.CacheFill;
import io.streamops.cache.CacheRouteWindow;
import io.streamops.common.Mode;
import io.streamops.common.PolicyRef;
import io.streamops.decisions.CacheInvalidation;
import io.streamops.decisions.CacheTtl;
import io.streamops.decisions.CacheTtlAction;
import io.streamops.events.CacheStatus;
import io.streamops.events.RequestEvent;
import io.streamops.schemas.decision.Decisions;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.testing.InMemorySchemaRegistry;
import io.streamops.schemas.testing.TestEvents;
import io.streamops.schemas.topics.Topics;
import io.streamops.topologies.runtime.StreamsRunner;
import io.streamops.workflows.cache.CacheWorkflow;
import io.streamops.workflows.cache.TtlAdvice;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheTtlTopologyTest {

    private static final Instant BEGINNING = Instant.parse("2026-12-01T10:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(1);
    private static final CacheTtlConfig SHADOW =
            new CacheTtlConfig(Mode.SHADOW, new TtlAdvice(0.95, 20, Duration.ofHours(1)), Duration.ofMinutes(5));

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final TopicBinder topics = TopicBinder.of(registry);
    private TopologyTestDriver driver;
    private TestInputTopic<String, RequestEvent> requests;
    private TestInputTopic<String, CacheInvalidation> invalidations;
    private TestOutputTopic<String, CacheTtl> decisions;
    private int ids;

    private void start(CacheTtlConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        CacheTtlTopology.build(builder, config, topics);
        driver = new TopologyTestDriver(
                builder.build(),
                StreamsRunner.testProperties(new CacheTtlOperator(), stateDir, topics, registry),
                BEGINNING);
        BoundTopic<String, RequestEvent> in = topics.bind(Topics.REQUESTS);
        requests = driver.createInputTopic(
                in.name(), new StringSerializer(), in.value().serializer());
        BoundTopic<String, CacheInvalidation> evictions = topics.bind(CacheWorkflow.DECISIONS);
        invalidations = driver.createInputTopic(
                evictions.name(), new StringSerializer(), evictions.value().serializer());
        BoundTopic<String, CacheTtl> out = topics.bind(CacheWorkflow.TTL_DECISIONS);
        decisions = driver.createOutputTopic(
                out.name(), out.key().deserializer(), out.value().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /**
     * The window of 10:00 to 10:05 on a one-minute TTL: 20 keys filled at 10:00 (cold misses), 60
     * hits, one key evicted by a row change and filled again, and the other 19 asked for again at
     * 10:03, three minutes after their fill (expired misses).
     */
    private void aWindowOfExpiries(boolean rowChangeEvictsOne) {
        for (int k = 1; k <= 20; k++) {
            lookup("/api/products/" + k, CacheStatus.MISS, BEGINNING);
        }
        for (int i = 0; i < 60; i++) {
            lookup("/api/products/" + (1 + i % 20), CacheStatus.HIT, BEGINNING.plusSeconds(1 + i / 20));
        }
        if (rowChangeEvictsOne) {
            invalidate(List.of("/api/products/1"), List.of(), BEGINNING.plusSeconds(10));
        }
        lookup("/api/products/1", CacheStatus.MISS, BEGINNING.plusSeconds(20));
        for (int k = 2; k <= 20; k++) {
            lookup("/api/products/" + k, CacheStatus.MISS, BEGINNING.plusSeconds(180));
        }
    }

    @Test
    void expiriesOnARouteTheChangeStreamKeepsFreshProposeALongerTtlWithTheirEvidence() {
        start(SHADOW);
        aWindowOfExpiries(true);

        lookup("/api/products/2", CacheStatus.HIT, BEGINNING.plus(Duration.ofMinutes(5)));

        List<KeyValue<String, CacheTtl>> decided = decisions.readKeyValuesToList();
        assertThat(decided).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("products");
            CacheTtl d = kv.value;
            assertThat(d.getAction()).isEqualTo(CacheTtlAction.LENGTHEN);
            assertThat(d.getCurrentTtlMillis()).isEqualTo(TTL.toMillis());
            // Three minutes since the fill: the five-minute step would have served all 19.
            assertThat(d.getProposedTtlMillis()).isEqualTo(Duration.ofMinutes(5).toMillis());
            assertThat(d.getHitRate()).isEqualTo(60 / 100.0);
            assertThat(d.getProjectedHitRate()).isEqualTo(79 / 100.0);
            assertThat(d.getSetting()).isEqualTo("streamops.gateway.route.products.cache.ttl=5m");
            assertThat(d.getEnvelope().getMode()).isEqualTo(Mode.SHADOW);
            assertThat(d.getEnvelope().getEventTime()).isEqualTo(BEGINNING.plus(Duration.ofMinutes(5)));
            var evidence = d.getEnvelope().getEvidence();
            assertThat(evidence.getMeasurements())
                    .containsEntry("lookups", 100.0)
                    .containsEntry("hits", 60.0)
                    .containsEntry("coldMisses", 20.0)
                    .containsEntry("invalidatedMisses", 1.0)
                    .containsEntry("expiredMisses", 19.0)
                    .containsEntry("otherMisses", 0.0);
            assertThat(evidence.getThresholds()).containsEntry("targetHitRate", 0.95);
            assertThat(evidence.getWindowStart()).isEqualTo(BEGINNING);
            assertThat(evidence.getInputs()).hasSize(AdviseTtl.SAMPLES).allSatisfy(input -> {
                assertThat(input.getTopic())
                        .isEqualTo(topics.bind(Topics.REQUESTS).name());
                assertThat(input.getEventTime()).isEqualTo(BEGINNING.plusSeconds(180));
            });
            assertThat(evidence.getSummary()).contains("products").contains("19 of 40 misses");
        });
    }

    @Test
    void aRouteNoRowChangeWasSeenToEvictKeepsItsTtlWhenStreamTimePassesTheWindow() {
        start(SHADOW);
        aWindowOfExpiries(false);

        // Nothing more of the route: stream time, moved on by an unrelated invalidation, closes it.
        invalidate(List.of("/other/1"), List.of(), BEGINNING.plus(Duration.ofMinutes(6)));

        CacheTtl d = decisions.readValue();
        assertThat(d.getAction()).isEqualTo(CacheTtlAction.KEEP);
        assertThat(d.getProposedTtlMillis()).isEqualTo(TTL.toMillis());
        assertThat(d.getEnvelope().getEvidence().getMeasurements())
                .containsEntry("expiredMisses", 19.0)
                .containsEntry("invalidatedMisses", 0.0)
                // Key 1, asked for again 20 seconds after its fill and not evicted: not the TTL's doing.
                .containsEntry("otherMisses", 1.0);
        assertThat(d.getEnvelope().getEvidence().getSummary()).contains("no row change evicted");
        assertThat(decisions.isEmpty()).isTrue();
    }

    @Test
    void aPrefixInvalidationCountsForEveryKeyUnderIt() {
        start(SHADOW);
        for (int k = 1; k <= 20; k++) {
            lookup("/api/products/" + k, CacheStatus.MISS, BEGINNING);
        }
        invalidate(List.of(), List.of("/api/products/"), BEGINNING.plusSeconds(5));
        for (int k = 1; k <= 20; k++) {
            lookup("/api/products/" + k, CacheStatus.MISS, BEGINNING.plusSeconds(90));
        }
        lookup("/api/products/1", CacheStatus.HIT, BEGINNING.plus(Duration.ofMinutes(5)));

        assertThat(decisions.readValue().getEnvelope().getEvidence().getMeasurements())
                .containsEntry("invalidatedMisses", 20.0)
                .containsEntry("expiredMisses", 0.0);
    }

    @Test
    void aPrefixWithAQueryStringCountsForItsPathAlone() {
        start(SHADOW);
        for (int k = 1; k <= 20; k++) {
            lookup("/api/products/" + k, CacheStatus.MISS, BEGINNING);
        }
        lookup("/api/products", CacheStatus.MISS, BEGINNING);
        invalidate(List.of(), List.of("/api/products?category=books"), BEGINNING.plusSeconds(5));
        lookup("/api/products", CacheStatus.MISS, BEGINNING.plusSeconds(90));
        for (int k = 1; k <= 20; k++) {
            lookup("/api/products/" + k, CacheStatus.MISS, BEGINNING.plusSeconds(90));
        }
        lookup("/api/products/1", CacheStatus.HIT, BEGINNING.plus(Duration.ofMinutes(5)));

        assertThat(decisions.readValue().getEnvelope().getEvidence().getMeasurements())
                .containsEntry("invalidatedMisses", 1.0)
                .containsEntry("expiredMisses", 20.0);
    }

    @Test
    void enforceModeIsTheDecisionsMode() {
        start(new CacheTtlConfig(Mode.ENFORCE, SHADOW.advice(), SHADOW.window()));
        aWindowOfExpiries(true);
        lookup("/api/products/2", CacheStatus.HIT, BEGINNING.plus(Duration.ofMinutes(5)));

        assertThat(decisions.readValue().getEnvelope().getMode()).isEqualTo(Mode.ENFORCE);
    }

    @Test
    void onlyLookupsOfCachedRoutesCount() {
        start(SHADOW);
        for (int i = 0; i < 50; i++) {
            requests.pipeInput(
                    "c", TestEvents.request("n" + i, BEGINNING.plusSeconds(i)).build());
            requests.pipeInput(
                    "c",
                    TestEvents.request("b" + i, BEGINNING.plusSeconds(i))
                            .setCacheStatus(CacheStatus.BYPASS)
                            .setAttributes(Map.of(CacheWorkflow.TTL_ATTRIBUTE, "60000"))
                            .build());
        }
        invalidate(List.of("/other/1"), List.of(), BEGINNING.plus(Duration.ofMinutes(10)));

        assertThat(decisions.isEmpty()).isTrue();
    }

    @Test
    void fillsAndRoutesAreDroppedOnceTheHorizonHasPassed() {
        start(SHADOW);
        aWindowOfExpiries(true);
        KeyValueStore<String, CacheFill> fills = driver.getKeyValueStore(CacheTtlTopology.FILLS);
        KeyValueStore<String, CacheRouteWindow> routes = driver.getKeyValueStore(CacheTtlTopology.ROUTES);
        assertThat(count(fills)).isEqualTo(20);

        invalidate(List.of("/other/1"), List.of(), BEGINNING.plus(Duration.ofMinutes(6)));
        invalidate(List.of("/other/1"), List.of(), BEGINNING.plus(Duration.ofMinutes(70)));

        assertThat(decisions.readValuesToList()).hasSize(1);
        assertThat(count(fills)).isZero();
        assertThat(count(routes)).isZero();
    }

    private static long count(KeyValueStore<String, ?> store) {
        List<Object> all = new ArrayList<>();
        try (var it = store.all()) {
            it.forEachRemaining(all::add);
        }
        return all.size();
    }

    private void lookup(String path, CacheStatus status, Instant at) {
        requests.pipeInput(
                "client",
                TestEvents.request("r" + ids++, at)
                        .setRoute("products")
                        .setPath(path)
                        .setCacheStatus(status)
                        .setAttributes(Map.of(CacheWorkflow.TTL_ATTRIBUTE, Long.toString(TTL.toMillis())))
                        .build());
    }

    private void invalidate(List<String> keys, List<String> prefixes, Instant committed) {
        invalidations.pipeInput(
                "public.products",
                CacheInvalidation.newBuilder()
                        .setEnvelope(Decisions.envelope(
                                CacheWorkflow.OPERATOR,
                                new PolicyRef("cache-rules", 1),
                                Mode.ENFORCE,
                                committed,
                                committed,
                                Decisions.evidence("a row change").build(),
                                "c" + ids++))
                        .setKeys(new ArrayList<>(keys))
                        .setPrefixes(new ArrayList<>(prefixes))
                        .setSourceTable("public.products")
                        .setCommittedAt(committed)
                        .build());
    }
}
