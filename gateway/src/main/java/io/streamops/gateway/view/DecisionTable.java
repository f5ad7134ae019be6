package io.streamops.gateway.view;

import static io.streamops.schemas.decision.Decisions.envelopeOf;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * The latest decision per key, applied in log order: a decision whose id is the one already held for
 * its key is skipped as a duplicate, one that has lapsed is dropped, a tombstone clears its key.
 * Reads are lock-free map lookups. Bounded by the live decisions: lapsed ones go at the next {@link
 * #prune}, or when read.
 */
public final class DecisionTable<D extends SpecificRecord> implements DecisionLookup<D> {

    private final Function<D, Instant> expiresAt;
    private final Clock clock;
    private final Map<String, D> latest = new ConcurrentHashMap<>();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();

    /** @param expiresAt when a decision lapses; null for decisions that never do */
    public DecisionTable(Function<D, Instant> expiresAt, Clock clock) {
        this.expiresAt = expiresAt;
        this.clock = clock;
    }

    /** Applies the next record of the topic: a decision about {@code key}, or null (a tombstone). */
    public void apply(String key, D decision) {
        if (key == null) {
            return;
        }
        if (decision == null) {
            latest.remove(key);
            return;
        }
        D previous = latest.get(key);
        if (previous != null
                && envelopeOf(previous)
                        .getDecisionId()
                        .equals(envelopeOf(decision).getDecisionId())) {
            duplicates.incrementAndGet();
            return;
        }
        if (lapsed(decision, clock.instant())) {
            expired.incrementAndGet();
            latest.remove(key);
            return;
        }
        latest.put(key, decision);
        applied.incrementAndGet();
    }

    @Override
    public Optional<D> current(String key) {
        D decision = latest.get(key);
        if (decision == null) {
            return Optional.empty();
        }
        if (lapsed(decision, clock.instant())) {
            if (latest.remove(key, decision)) {
                expired.incrementAndGet();
            }
            return Optional.empty();
        }
        return Optional.of(decision);
    }

    /** Drops the decisions that have lapsed. */
    public void prune() {
        Instant now = clock.instant();
        latest.entrySet().removeIf(e -> {
            boolean gone = lapsed(e.getValue(), now);
            if (gone) {
                expired.incrementAndGet();
            }
            return gone;
        });
    }

    public int size() {
        return latest.size();
    }

    /** Live decisions held; applied since start; skipped as duplicates; dropped as lapsed. */
    public Map<String, Long> counters() {
        return Map.of(
                "live", (long) latest.size(),
                "applied", applied.get(),
                "duplicates", duplicates.get(),
                "expired", expired.get());
    }

    private boolean lapsed(D decision, Instant now) {
        Instant until = expiresAt == null ? null : expiresAt.apply(decision);
        return until != null && !now.isBefore(until);
    }
}
