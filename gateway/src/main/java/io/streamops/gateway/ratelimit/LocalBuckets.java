package io.streamops.gateway.ratelimit;

import io.streamops.workflows.ratelimit.policy.Gcra;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This gateway's GCRA state per bucket: one TAT each, in nanoseconds, shared lock-free by the event
 * loops. A request takes from all its buckets or from none, so that a request one bucket refuses
 * costs the others nothing. Bounded: buckets back to a full burst are dropped each sweep, and past
 * {@link #MAX_BUCKETS} new buckets are not tracked (their requests pass, counted).
 */
final class LocalBuckets {

    static final int MAX_BUCKETS = 1_000_000;

    private final Map<String, AtomicLong> tats = new ConcurrentHashMap<>();
    private final AtomicLong untracked = new AtomicLong();

    /**
     * Checks a request against its buckets and, if {@code take} and every one lets it through, takes
     * one from each.
     *
     * @return the outcome per bucket, in order (all allowed and taken, or the refusals among them and
     *     nothing taken)
     */
    Gcra.Outcome[] acquire(String[] buckets, Gcra[] limits, boolean take, long now) {
        int n = buckets.length;
        AtomicLong[] cells = new AtomicLong[n];
        for (int i = 0; i < n; i++) {
            cells[i] = take ? cell(buckets[i]) : tats.get(buckets[i]);
        }
        long[] before = new long[n];
        Gcra.Outcome[] outcomes = new Gcra.Outcome[n];
        while (true) {
            boolean allAllowed = true;
            for (int i = 0; i < n; i++) {
                before[i] = cells[i] == null ? Long.MIN_VALUE : cells[i].get();
                outcomes[i] = limits[i].check(before[i], now);
                allAllowed &= outcomes[i].allowed();
            }
            if (!take || !allAllowed || commit(cells, before, outcomes)) {
                return outcomes;
            }
            // Another event loop took from one of these buckets meanwhile: check again with what it left.
        }
    }

    private static boolean commit(AtomicLong[] cells, long[] before, Gcra.Outcome[] outcomes) {
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] != null && !cells[i].compareAndSet(before[i], outcomes[i].tat())) {
                // Roll back what this request already took.
                for (int j = 0; j < i; j++) {
                    if (cells[j] != null) {
                        cells[j].compareAndSet(outcomes[j].tat(), before[j]);
                    }
                }
                return false;
            }
        }
        return true;
    }

    private AtomicLong cell(String bucket) {
        AtomicLong cell = tats.get(bucket);
        if (cell != null) {
            return cell;
        }
        if (tats.size() >= MAX_BUCKETS) {
            untracked.incrementAndGet();
            return null;
        }
        return tats.computeIfAbsent(bucket, b -> new AtomicLong(Long.MIN_VALUE));
    }

    /** Drops the buckets whose TAT has passed: they are back to a full burst, as if never seen. */
    void sweep(long now) {
        tats.values().removeIf(tat -> tat.get() <= now);
    }

    int size() {
        return tats.size();
    }

    long untracked() {
        return untracked.get();
    }
}
