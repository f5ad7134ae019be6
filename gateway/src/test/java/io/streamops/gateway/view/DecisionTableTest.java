package io.streamops.gateway.view;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.common.Mode;
import io.streamops.decisions.RateLimit;
import io.streamops.gateway.ratelimit.RateLimits;
import io.streamops.schemas.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DecisionTableTest {

    final MutableClock clock = new MutableClock(BEGINNING);
    final DecisionTable<RateLimit> table = new DecisionTable<>(RateLimit::getExpiresAt, clock);

    @Test
    void holdsTheLatestDecisionPerKeyInLogOrder() {
        table.apply("ip:a", RateLimits.limit("ip:a", "d1", Mode.ENFORCE, BEGINNING.plusSeconds(10)));
        table.apply("ip:a", RateLimits.limit("ip:a", "d2", Mode.SHADOW, BEGINNING.plusSeconds(20)));

        assertThat(table.current("ip:a"))
                .hasValueSatisfying(
                        d -> assertThat(d.getEnvelope().getDecisionId()).isEqualTo("d2"));
        assertThat(table.current("ip:b")).isEmpty();
    }

    @Test
    void aDecisionSeenAgainIsADuplicateAndChangesNothing() {
        table.apply("ip:a", RateLimits.limit("ip:a", "d1", Mode.ENFORCE, BEGINNING.plusSeconds(10)));
        table.apply("ip:a", RateLimits.limit("ip:a", "d1", Mode.SHADOW, BEGINNING.plusSeconds(99)));

        assertThat(table.current("ip:a"))
                .hasValueSatisfying(d -> assertThat(d.getEnvelope().getMode()).isEqualTo(Mode.ENFORCE));
        assertThat(table.counters()).containsEntry("duplicates", 1L).containsEntry("applied", 1L);
    }

    @Test
    void lapsedDecisionsAreNeitherServedNorKept() {
        table.apply("ip:a", RateLimits.limit("ip:a", "d1", Mode.ENFORCE, BEGINNING.plusSeconds(10)));
        table.apply("ip:b", RateLimits.limit("ip:b", "d2", Mode.ENFORCE, BEGINNING.minusSeconds(1)));
        assertThat(table.size()).as("one arrived already lapsed").isEqualTo(1);

        clock.advance(Duration.ofSeconds(10));

        assertThat(table.current("ip:a")).isEmpty();
        table.apply("ip:c", RateLimits.limit("ip:c", "d3", Mode.ENFORCE, BEGINNING.plusSeconds(11)));
        clock.advance(Duration.ofSeconds(1));
        table.prune();
        assertThat(table.size()).isZero();
    }

    @Test
    void aTombstoneClearsItsKey() {
        table.apply("ip:a", RateLimits.limit("ip:a", "d1", Mode.ENFORCE, BEGINNING.plusSeconds(10)));
        table.apply("ip:a", null);

        assertThat(table.current("ip:a")).isEmpty();
    }
}
