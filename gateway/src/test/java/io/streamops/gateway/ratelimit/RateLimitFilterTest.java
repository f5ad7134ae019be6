package io.streamops.gateway.ratelimit;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.common.Mode;
import io.streamops.decisions.RateLimit;
import io.streamops.decisions.RateLimitAction;
import io.streamops.gateway.RequestContext;
import io.streamops.gateway.TestRequests;
import io.streamops.gateway.filter.Verdict;
import io.streamops.gateway.view.DecisionTable;
import io.streamops.schemas.testing.MutableClock;
import io.streamops.workflows.ratelimit.policy.RateLimitRules;
import io.streamops.workflows.ratelimit.policy.RulesParser;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the filter answers a client, given the policy, the global limits, the live gateways and the mode. */
class RateLimitFilterTest {

    static final String CLIENT = "198.51.100.7";
    static final String BUCKET = "test|remote_address=198.51.100.7";
    static final RateLimitRules POLICY = RulesParser.parse("""
            domain: test
            descriptors:
              - key: remote_address
                rate_limit: {unit: second, requests_per_unit: 3}
              - key: x-api-key
                shadow_mode: true
                rate_limit: {name: per-key, unit: second, requests_per_unit: 1}
            """);

    /** A scene: the gateways live, the mode, and what the global limits hold. */
    record Scene(int gateways, Mode mode, Consumer<DecisionTable<RateLimit>> decisions) {}

    static Stream<Arguments> cases() {
        Consumer<DecisionTable<RateLimit>> none = t -> {};
        return Stream.of(
                Arguments.of("within the burst: served", new Scene(1, Mode.ENFORCE, none), 3, Map.of(), 0, 0),
                Arguments.of("past the burst: refused", new Scene(1, Mode.ENFORCE, none), 4, Map.of(), 1, 0),
                Arguments.of(
                        "three gateways live: this one's share is a third",
                        new Scene(3, Mode.ENFORCE, none),
                        2,
                        Map.of(),
                        1,
                        0),
                Arguments.of(
                        "a live ENFORCE decision refuses with quota left here",
                        new Scene(
                                1,
                                Mode.ENFORCE,
                                t -> t.apply(
                                        BUCKET,
                                        RateLimits.limit(BUCKET, "d1", Mode.ENFORCE, BEGINNING.plusSeconds(2)))),
                        1,
                        Map.of(),
                        1,
                        0),
                Arguments.of(
                        "a SHADOW decision refuses nothing: served, counted",
                        new Scene(
                                1,
                                Mode.ENFORCE,
                                t -> t.apply(
                                        BUCKET, RateLimits.limit(BUCKET, "d1", Mode.SHADOW, BEGINNING.plusSeconds(2)))),
                        1,
                        Map.of(),
                        0,
                        1),
                Arguments.of(
                        "a lapsed decision refuses nothing",
                        new Scene(
                                1,
                                Mode.ENFORCE,
                                t -> t.apply(BUCKET, RateLimits.limit(BUCKET, "d1", Mode.ENFORCE, BEGINNING))),
                        1,
                        Map.of(),
                        0,
                        0),
                Arguments.of(
                        "a shadow rule over its limit: served, counted",
                        new Scene(1, Mode.ENFORCE, none),
                        2,
                        Map.of("X-Api-Key", "k1"),
                        0,
                        1),
                Arguments.of(
                        "the workflow in shadow mode: served, counted",
                        new Scene(1, Mode.SHADOW, none),
                        4,
                        Map.of(),
                        0,
                        1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersTheClient(
            String description, Scene scene, int requests, Map<String, String> headers, long refused, long shadow) {
        MutableClock clock = new MutableClock(BEGINNING);
        DecisionTable<RateLimit> decisions = new DecisionTable<>(RateLimit::getExpiresAt, clock);
        scene.decisions().accept(decisions);
        RateLimitFilter filter = new RateLimitFilter(
                () -> List.of(POLICY),
                decisions,
                new LocalBuckets(),
                scene::gateways,
                () -> true,
                1.0,
                scene.mode(),
                clock);

        Verdict last = null;
        for (int i = 0; i < requests; i++) {
            last = filter.onRequest(TestRequests.request(CLIENT, "GET", "/shop", headers));
        }

        assertThat(filter.counters()).containsEntry("refused", refused).containsEntry("shadow", shadow);
        if (refused > 0) {
            assertThat(last).isInstanceOfSatisfying(Verdict.Answer.class, a -> {
                assertThat(a.status()).isEqualTo(429);
                assertThat(a.headers()).containsKey("Retry-After");
                assertThat(a.body().getString("error")).isEqualTo("rate_limited");
                assertThat(a.body().getString("bucket")).isEqualTo(BUCKET);
            });
        } else {
            assertThat(last).isEqualTo(Verdict.PROCEED);
        }
    }

    @Test
    void aRefusalSaysWhenToComeBackAndWhatRefusedIt() {
        MutableClock clock = new MutableClock(BEGINNING);
        DecisionTable<RateLimit> decisions = new DecisionTable<>(RateLimit::getExpiresAt, clock);
        decisions.apply(BUCKET, RateLimits.limit(BUCKET, "d1", Mode.ENFORCE, BEGINNING.plusMillis(2_500)));
        RateLimitFilter filter = new RateLimitFilter(
                () -> List.of(POLICY), decisions, new LocalBuckets(), () -> 1, () -> true, 1.0, Mode.ENFORCE, clock);

        Verdict verdict = filter.onRequest(TestRequests.anonymous(CLIENT));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Answer.class, a -> {
            assertThat(a.headers()).containsEntry("Retry-After", "3");
            assertThat(a.body().getString("limitedBy")).isEqualTo("global decision");
            assertThat(a.body().getString("decisionId")).isEqualTo("d1");
            assertThat(a.body().getString("policy")).isEqualTo("remote_address");
        });
    }

    @Test
    void everyAnswerCarriesTheIetfFieldsAndThePolicysHeaderValuesAreRecorded() {
        MutableClock clock = new MutableClock(BEGINNING);
        RateLimitFilter filter = new RateLimitFilter(
                () -> List.of(POLICY),
                new DecisionTable<>(RateLimit::getExpiresAt, clock),
                new LocalBuckets(),
                () -> 1,
                () -> true,
                1.0,
                Mode.ENFORCE,
                clock);
        RequestContext request = TestRequests.request(CLIENT, "GET", "/shop", Map.of("X-Api-Key", "k1"));

        filter.onRequest(request);

        assertThat(TestRequests.responseHeaders(request))
                .containsEntry("RateLimit-Policy", "\"remote_address\";q=3;w=1, \"per-key\";q=1;w=1")
                .containsEntry("RateLimit", "\"remote_address\";r=2;t=1, \"per-key\";r=0;t=1");
        assertThat(TestRequests.attributes(request)).containsEntry("header:x-api-key", "k1");
    }

    @Test
    void aBucketAnotherBucketRefusesLosesNothing() {
        MutableClock clock = new MutableClock(BEGINNING);
        RateLimitRules both = RulesParser.parse("""
                domain: test
                descriptors:
                  - key: remote_address
                    rate_limit: {unit: second, requests_per_unit: 1}
                  - key: route
                    rate_limit: {unit: second, requests_per_unit: 100}
                """);
        LocalBuckets local = new LocalBuckets();
        RateLimitFilter filter = new RateLimitFilter(
                () -> List.of(both),
                new DecisionTable<>(RateLimit::getExpiresAt, clock),
                local,
                () -> 1,
                () -> true,
                1.0,
                Mode.ENFORCE,
                clock);
        for (int i = 0; i < 50; i++) {
            filter.onRequest(TestRequests.anonymous(CLIENT));
        }

        RequestContext other = TestRequests.anonymous("203.0.113.1");
        filter.onRequest(other);

        assertThat(TestRequests.responseHeaders(other).get("RateLimit"))
                .as("the route's bucket paid for the one request its address let through, not the 49 refused")
                .contains("\"route\";r=98;");
    }

    @Test
    void requestsTheOperatorsLimitRefusedLeaveThisGatewaysShareWhole() {
        MutableClock clock = new MutableClock(BEGINNING);
        DecisionTable<RateLimit> decisions = new DecisionTable<>(RateLimit::getExpiresAt, clock);
        decisions.apply(BUCKET, RateLimits.limit(BUCKET, "d1", Mode.ENFORCE, BEGINNING.plusMillis(100)));
        RateLimitFilter filter = new RateLimitFilter(
                () -> List.of(POLICY), decisions, new LocalBuckets(), () -> 1, () -> true, 1.0, Mode.ENFORCE, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(filter.onRequest(TestRequests.anonymous(CLIENT))).isInstanceOf(Verdict.Answer.class);
        }

        clock.set(BEGINNING.plusMillis(100));

        for (int i = 0; i < 3; i++) {
            assertThat(filter.onRequest(TestRequests.anonymous(CLIENT)))
                    .as("request %d after the limit lapsed: the burst is whole", i + 1)
                    .isEqualTo(Verdict.PROCEED);
        }
    }

    @Test
    void whileKafkaCannotBeReadItFailsOpenToItsOwnShareAndCountsIt() {
        MutableClock clock = new MutableClock(BEGINNING);
        RateLimitFilter filter = new RateLimitFilter(
                () -> List.of(POLICY),
                new DecisionTable<>(RateLimit::getExpiresAt, clock),
                new LocalBuckets(),
                () -> 1,
                () -> false,
                1.0,
                Mode.ENFORCE,
                clock);

        List<Verdict> verdicts = Stream.generate(() -> TestRequests.anonymous(CLIENT))
                .limit(4)
                .map(filter::onRequest)
                .toList();

        assertThat(verdicts)
                .as("its own share still holds")
                .filteredOn(Verdict.PROCEED::equals)
                .hasSize(3);
        assertThat(filter.counters()).containsEntry("failOpen", 4L).containsEntry("refused", 1L);
    }

    @Test
    void aThrottleTakesAwayTheHeadroom() {
        MutableClock clock = new MutableClock(BEGINNING);
        DecisionTable<RateLimit> decisions = new DecisionTable<>(RateLimit::getExpiresAt, clock);
        RateLimitFilter lending = new RateLimitFilter(
                () -> List.of(POLICY), decisions, new LocalBuckets(), () -> 3, () -> true, 3.0, Mode.ENFORCE, clock);
        assertThat(served(lending, 4))
                .as("headroom 3 of 3 gateways: the whole burst here")
                .isEqualTo(3);

        decisions.apply(
                BUCKET,
                RateLimit.newBuilder(RateLimits.limit(BUCKET, "t1", Mode.ENFORCE, BEGINNING.plusSeconds(10)))
                        .setAction(RateLimitAction.THROTTLE)
                        .build());
        RateLimitFilter throttled = new RateLimitFilter(
                () -> List.of(POLICY), decisions, new LocalBuckets(), () -> 3, () -> true, 3.0, Mode.ENFORCE, clock);

        assertThat(served(throttled, 4))
                .as("its exact third of the burst, and nothing refused by the decision")
                .isEqualTo(1);
    }

    private static long served(RateLimitFilter filter, int requests) {
        return Stream.generate(() -> TestRequests.anonymous(CLIENT))
                .limit(requests)
                .map(filter::onRequest)
                .filter(Verdict.PROCEED::equals)
                .count();
    }
}
