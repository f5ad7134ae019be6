package io.streamops.gateway.ratelimit;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.common.Mode;
import io.streamops.decisions.RateLimit;
import io.streamops.decisions.RateLimitAction;
import io.streamops.gateway.TestRequests;
import io.streamops.gateway.filter.Verdict;
import io.streamops.gateway.view.DecisionTable;
import io.streamops.schemas.testing.MutableClock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the filter does with a client's request, given the decisions the gateway holds about it. */
class RateLimitFilterTest {

    static final String CLIENT = "ip:198.51.100.7";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "no decision about the client: served", (Consumer<DecisionTable<RateLimit>>) t -> {}, 0, 0),
                Arguments.of(
                        "an enforced limit: refused with 429",
                        (Consumer<DecisionTable<RateLimit>>) t ->
                                t.apply(CLIENT, RateLimits.limit(CLIENT, "d1", Mode.ENFORCE, BEGINNING.plusSeconds(4))),
                        429,
                        0),
                Arguments.of(
                        "a shadow limit: served, counted as would-have-refused",
                        (Consumer<DecisionTable<RateLimit>>) t ->
                                t.apply(CLIENT, RateLimits.limit(CLIENT, "d1", Mode.SHADOW, BEGINNING.plusSeconds(4))),
                        0,
                        1),
                Arguments.of(
                        "an enforced limit that has lapsed: served",
                        (Consumer<DecisionTable<RateLimit>>)
                                t -> t.apply(CLIENT, RateLimits.limit(CLIENT, "d1", Mode.ENFORCE, BEGINNING)),
                        0,
                        0),
                Arguments.of(
                        "another client's limit: served",
                        (Consumer<DecisionTable<RateLimit>>) t -> t.apply(
                                "ip:203.0.113.9",
                                RateLimits.limit("ip:203.0.113.9", "d1", Mode.ENFORCE, BEGINNING.plusSeconds(4))),
                        0,
                        0),
                Arguments.of(
                        "a lifted limit: served",
                        (Consumer<DecisionTable<RateLimit>>) t -> {
                            RateLimit lift = RateLimits.limit(CLIENT, "d2", Mode.ENFORCE, BEGINNING.plusSeconds(4));
                            lift.setAction(RateLimitAction.LIFT);
                            t.apply(CLIENT, lift);
                        },
                        0,
                        0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void appliesWhatTheGatewayHolds(
            String description, Consumer<DecisionTable<RateLimit>> held, int refusedWith, long shadow) {
        MutableClock clock = new MutableClock(BEGINNING);
        DecisionTable<RateLimit> table = new DecisionTable<>(RateLimit::getExpiresAt, clock);
        held.accept(table);
        RateLimitFilter filter = new RateLimitFilter(table, clock);

        Verdict verdict = filter.onRequest(TestRequests.anonymous("198.51.100.7"));

        if (refusedWith == 0) {
            assertThat(verdict).isEqualTo(Verdict.PROCEED);
        } else {
            assertThat(verdict).isInstanceOfSatisfying(Verdict.Answer.class, a -> {
                assertThat(a.status()).isEqualTo(refusedWith);
                assertThat(a.headers()).containsEntry("Retry-After", "4");
                assertThat(a.body().getString("error")).isEqualTo("rate_limited");
                assertThat(a.body().getString("decisionId")).isEqualTo("d1");
            });
        }
        assertThat(filter.counters())
                .containsEntry("shadow", shadow)
                .containsEntry("refused", refusedWith == 0 ? 0L : 1L);
    }
}
