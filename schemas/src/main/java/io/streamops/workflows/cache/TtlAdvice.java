package io.streamops.workflows.cache;

import io.streamops.decisions.CacheTtlAction;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The cache-ttl policy: what a route's window of lookups says about its TTL. Row changes evict a
 * route's entries whenever their rows change, so the TTL is only a backstop, and a miss of a key
 * filled a TTL earlier and not evicted since is a hit the TTL cost. When the hit rate is under the
 * target and such misses are seen, it proposes the shortest TTL step (up to the maximum) that would
 * have served enough of them to reach the target, or failing that as many as the maximum allows.
 * It never lengthens the TTL of a route none of whose keys a row change has evicted within the
 * horizon: for such a route, the TTL may be all that bounds a stale read. It never shortens one:
 * with eviction from the change stream, a shorter TTL only costs hits.
 *
 * @param target the hit rate under which a longer TTL is looked for
 * @param minLookups the fewest lookups in a window to judge it by
 * @param max the longest TTL it proposes (also the operator's horizon)
 */
public record TtlAdvice(double target, long minLookups, Duration max) {

    /** The TTLs it proposes: round values a person would set. */
    public static final List<Duration> STEPS = List.of(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            Duration.ofSeconds(15),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1),
            Duration.ofMinutes(2),
            Duration.ofMinutes(5),
            Duration.ofMinutes(10),
            Duration.ofMinutes(15),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(6),
            Duration.ofHours(12),
            Duration.ofHours(24));

    /**
     * One window of a route's lookups.
     *
     * @param expiredByStep expired misses by {@link #step} of the time from their key's fill
     * @param covered whether a row change evicted one of the route's keys within the horizon
     */
    public record Window(
            Duration current,
            long hits,
            long cold,
            long expired,
            long invalidated,
            long early,
            List<Long> expiredByStep,
            boolean covered) {

        public long misses() {
            return cold + expired + invalidated + early;
        }

        public long lookups() {
            return hits + misses();
        }

        public double hitRate() {
            return lookups() == 0 ? 0 : hits / (double) lookups();
        }
    }

    /** What it proposes, and why in one sentence. */
    public record Advice(
            CacheTtlAction action, Duration proposed, double hitRate, double projectedHitRate, String why) {}

    /** The index of the shortest step at least {@code sinceFill} long, or {@code STEPS.size()} past the last. */
    public static int step(Duration sinceFill) {
        for (int i = 0; i < STEPS.size(); i++) {
            if (STEPS.get(i).compareTo(sinceFill) >= 0) {
                return i;
            }
        }
        return STEPS.size();
    }

    /** Its advice on a window; none for a window with fewer than {@link #minLookups} lookups. */
    public Optional<Advice> advise(Window w) {
        if (w.lookups() < minLookups || w.lookups() == 0) {
            return Optional.empty();
        }
        double rate = w.hitRate();
        if (rate >= target) {
            return Optional.of(keep(w, String.format("hit rate %.3f meets the target %.3f", rate, target)));
        }
        if (w.expired() == 0) {
            return Optional.of(keep(
                    w,
                    String.format(
                            "hit rate %.3f is under the target %.3f, but no miss was an expiry: a longer TTL would not"
                                    + " serve more",
                            rate, target)));
        }
        if (!w.covered()) {
            return Optional.of(keep(
                    w,
                    String.format(
                            "hit rate %.3f is under the target %.3f and %d misses were expiries, but no row change"
                                    + " evicted any of the route's keys within %s: its TTL may be all that bounds a"
                                    + " stale read",
                            rate, target, w.expired(), max)));
        }
        long served = 0;
        Duration best = null;
        long bestServed = 0;
        for (int i = 0; i < STEPS.size() && STEPS.get(i).compareTo(max) <= 0; i++) {
            served += i < w.expiredByStep().size() ? w.expiredByStep().get(i) : 0;
            if (STEPS.get(i).compareTo(w.current()) <= 0 || served == bestServed) {
                continue;
            }
            best = STEPS.get(i);
            bestServed = served;
            if ((w.hits() + served) / (double) w.lookups() >= target) {
                break;
            }
        }
        if (best == null) {
            return Optional.of(keep(
                    w,
                    String.format(
                            "hit rate %.3f is under the target %.3f, but the %d expired misses came after more than"
                                    + " the longest TTL proposed, %s",
                            rate, target, w.expired(), max)));
        }
        double projected = (w.hits() + bestServed) / (double) w.lookups();
        return Optional.of(new Advice(
                CacheTtlAction.LENGTHEN,
                best,
                rate,
                projected,
                String.format(
                        "hit rate %.3f is under the target %.3f; %d of %d misses were of keys filled at least a TTL"
                                + " (%s) earlier and not changed since; a TTL of %s would have served %d of them"
                                + " (hit rate %.3f)",
                        rate, target, w.expired(), w.misses(), w.current(), best, bestServed, projected)));
    }

    private static Advice keep(Window w, String why) {
        return new Advice(CacheTtlAction.KEEP, w.current(), w.hitRate(), w.hitRate(), why);
    }
}
