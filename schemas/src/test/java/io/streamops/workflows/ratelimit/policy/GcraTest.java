package io.streamops.workflows.ratelimit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GCRA arithmetic on a limit of 10 per 1,000 time units (an emission interval of 100) with a burst of 3. */
class GcraTest {

    static final Gcra LIMIT = Gcra.of(10, 1_000, 3);
    static final long NEVER = Long.MIN_VALUE;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "a key never seen conforms, with the rest of its burst left", NEVER, 5_000, true, 5_100, 0, 2),
                Arguments.of("the third of a burst conforms, nothing left", 5_200, 5_000, true, 5_300, 0, 0),
                Arguments.of(
                        "the fourth at once is refused until one interval has passed",
                        5_300,
                        5_000,
                        false,
                        5_300,
                        100,
                        0),
                Arguments.of("a request long after the last conforms as if new", 5_300, 9_000, true, 9_100, 0, 2),
                Arguments.of("at the steady rate every request conforms", 5_300, 5_100, true, 5_400, 0, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesEachRequestFromTheTat(
            String description, long tat, long now, boolean allowed, long tatAfter, long retryAfter, long remaining) {
        Gcra.Outcome outcome = LIMIT.check(tat, now);

        assertThat(outcome.allowed()).isEqualTo(allowed);
        assertThat(outcome.tat()).isEqualTo(tatAfter);
        assertThat(outcome.retryAfter()).isEqualTo(retryAfter);
        assertThat(outcome.remaining()).isEqualTo(remaining);
    }

    @Test
    void overALongRunItLetsThroughTheRateTimesTheSpanPlusTheBurst() {
        long[] tat = {NEVER};
        long admitted = LongStream.range(0, 10_000)
                .map(t -> t * 20) // a request every 20 units: five times the limit, for 200,000 units
                .filter(now -> {
                    Gcra.Outcome outcome = LIMIT.check(tat[0], now);
                    if (outcome.allowed()) {
                        tat[0] = outcome.tat();
                    }
                    return outcome.allowed();
                })
                .count();

        assertThat(admitted).isEqualTo(200_000 / 100 + 2);
    }

    @Test
    void aShareScalesTheRateAndTheBurst() {
        Gcra third = Gcra.of(30, 3_000, 30).share(1.0 / 3);

        assertThat(third.emission()).isEqualTo(300);
        assertThat(third.burst()).isEqualTo(10);
    }
}
