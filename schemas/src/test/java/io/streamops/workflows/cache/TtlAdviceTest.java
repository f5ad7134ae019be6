package io.streamops.workflows.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.decisions.CacheTtlAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TtlAdviceTest {

    private static final TtlAdvice POLICY = new TtlAdvice(0.95, 100, Duration.ofHours(1));
    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** A window of a route under a one-minute TTL: hits, then misses by cause, expired ones by time since their fill. */
    private static TtlAdvice.Window window(
            long hits, long cold, long invalidated, long early, Map<Duration, Long> expiredAfter, boolean covered) {
        List<Long> byStep = new ArrayList<>(Collections.nCopies(TtlAdvice.STEPS.size(), 0L));
        long expired = 0;
        for (Map.Entry<Duration, Long> e : expiredAfter.entrySet()) {
            int step = TtlAdvice.step(e.getKey());
            if (step < byStep.size()) {
                byStep.set(step, byStep.get(step) + e.getValue());
            }
            expired += e.getValue();
        }
        return new TtlAdvice.Window(MINUTE, hits, cold, expired, invalidated, early, byStep, covered);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "too few lookups to judge: no decision",
                        window(50, 10, 0, 0, Map.of(Duration.ofMinutes(3), 30L), true),
                        null,
                        null),
                Arguments.of(
                        "hit rate at the target: keep",
                        window(950, 30, 10, 0, Map.of(Duration.ofMinutes(3), 10L), true),
                        CacheTtlAction.KEEP,
                        MINUTE),
                Arguments.of(
                        "low hit rate, but every miss was cold or a row change's: keep",
                        window(700, 200, 100, 0, Map.of(), true),
                        CacheTtlAction.KEEP,
                        MINUTE),
                Arguments.of(
                        "expiries on a route no row change was seen to evict: keep (the TTL bounds stale reads)",
                        window(700, 0, 0, 0, Map.of(Duration.ofMinutes(3), 300L), false),
                        CacheTtlAction.KEEP,
                        MINUTE),
                Arguments.of(
                        "expiries 3 minutes after their fill: the 5-minute step serves them",
                        window(700, 20, 10, 0, Map.of(Duration.ofMinutes(3), 270L), true),
                        CacheTtlAction.LENGTHEN,
                        Duration.ofMinutes(5)),
                Arguments.of(
                        "expiries spread out: the shortest step that reaches the target, not the longest",
                        window(
                                800,
                                10,
                                10,
                                0,
                                Map.of(
                                        Duration.ofSeconds(90), 100L,
                                        Duration.ofMinutes(8), 60L,
                                        Duration.ofMinutes(50), 20L),
                                true),
                        CacheTtlAction.LENGTHEN,
                        Duration.ofMinutes(10)),
                Arguments.of(
                        "the target out of reach: the step that serves the most within the maximum",
                        window(500, 300, 0, 0, Map.of(Duration.ofMinutes(4), 100L, Duration.ofMinutes(40), 100L), true),
                        CacheTtlAction.LENGTHEN,
                        Duration.ofHours(1)),
                Arguments.of(
                        "expiries only after more than the maximum: keep",
                        window(700, 0, 0, 0, Map.of(Duration.ofHours(3), 300L), true),
                        CacheTtlAction.KEEP,
                        MINUTE),
                Arguments.of(
                        "capacity misses within the TTL are not the TTL's: keep",
                        window(700, 0, 0, 300, Map.of(), true),
                        CacheTtlAction.KEEP,
                        MINUTE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void advises(String description, TtlAdvice.Window window, CacheTtlAction action, Duration proposed) {
        Optional<TtlAdvice.Advice> advice = POLICY.advise(window);

        if (action == null) {
            assertThat(advice).isEmpty();
            return;
        }
        assertThat(advice).get().satisfies(a -> {
            assertThat(a.action()).isEqualTo(action);
            assertThat(a.proposed()).isEqualTo(proposed);
            assertThat(a.hitRate()).isEqualTo(window.hitRate());
            assertThat(a.why()).isNotBlank();
            if (action == CacheTtlAction.KEEP) {
                assertThat(a.projectedHitRate()).isEqualTo(window.hitRate());
            } else {
                assertThat(a.projectedHitRate()).isGreaterThan(window.hitRate());
            }
        });
    }

    @org.junit.jupiter.api.Test
    void theProjectionCountsTheExpiriesTheProposedTtlServes() {
        TtlAdvice.Advice advice = POLICY.advise(window(
                        800,
                        10,
                        10,
                        0,
                        Map.of(Duration.ofSeconds(90), 100L, Duration.ofMinutes(8), 60L, Duration.ofMinutes(50), 20L),
                        true))
                .orElseThrow();

        // 800 hits and the 160 expiries within 10 minutes, of 1,000 lookups.
        assertThat(advice.projectedHitRate()).isEqualTo(0.96);
        assertThat(advice.why()).contains("180 of 200 misses").contains("PT10M");
    }

    @org.junit.jupiter.api.Test
    void stepsAreTheShortestTtlThatCoversTheTimeSinceTheFill() {
        assertThat(TtlAdvice.step(Duration.ofSeconds(60))).isEqualTo(TtlAdvice.STEPS.indexOf(MINUTE));
        assertThat(TtlAdvice.step(Duration.ofSeconds(61))).isEqualTo(TtlAdvice.STEPS.indexOf(Duration.ofMinutes(2)));
        assertThat(TtlAdvice.step(Duration.ofDays(2))).isEqualTo(TtlAdvice.STEPS.size());
    }
}
