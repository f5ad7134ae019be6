package io.streamops.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DecisionTailQuietTest {

    private static final long T0 = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();

    @Test
    void oneLinePerKeyEveryQuietPeriodWithHowManyWereLeftOut() {
        DecisionTail.Quiet quiet = new DecisionTail.Quiet(Duration.ofSeconds(10));

        assertThat(quiet.admit("batches\u0000t", T0, () -> "first")).isEqualTo("first");
        assertThat(quiet.admit("batches\u0000t", T0 + 50, () -> "second")).isNull();
        assertThat(quiet.admit("batches\u0000t", T0 + 9_999, () -> "third")).isNull();
        assertThat(quiet.admit("limits\u0000k", T0 + 100, () -> "another key")).isEqualTo("another key");
        assertThat(quiet.admit("batches\u0000t", T0 + 10_000, () -> "fourth")).isEqualTo("fourth  (+2 more since)");
        assertThat(quiet.admit("batches\u0000t", T0 + 20_000, () -> "fifth")).isEqualTo("fifth");
    }
}
