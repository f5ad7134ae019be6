package io.streamops.workflows.ratelimit.policy;

/**
 * The generic cell rate algorithm (GCRA, as in ATM networks and redis-cell): a limit of {@code n}
 * requests per {@code period} with a burst of {@code b} keeps one number per key, its theoretical
 * arrival time (TAT). A request at {@code t} conforms when {@code max(TAT, t) - t <= tolerance}, and
 * then moves TAT on by one emission interval ({@code period / n}). The tolerance is {@code (b - 1)}
 * intervals: {@code b} requests may come at once, then one per interval. Pure arithmetic on
 * nanoseconds (or any unit, consistently): no clock, no state of its own.
 *
 * @param emission the emission interval, {@code period / n}
 * @param tolerance how far ahead of now TAT may run: {@code (burst - 1) * emission}
 */
public record Gcra(long emission, long tolerance) {

    public Gcra {
        if (emission <= 0) {
            throw new IllegalArgumentException("emission interval must be positive, was " + emission);
        }
        if (tolerance < 0) {
            throw new IllegalArgumentException("tolerance must not be negative, was " + tolerance);
        }
    }

    /** {@code requests} per {@code period} (in the caller's unit) with room for {@code burst} at once. */
    public static Gcra of(long requests, long period, long burst) {
        if (requests <= 0 || burst <= 0) {
            throw new IllegalArgumentException(
                    "requests and burst must be positive, were " + requests + " and " + burst);
        }
        long emission = Math.max(1, period / requests);
        return new Gcra(emission, emission * (burst - 1));
    }

    /** The same limit scaled to a share of it ({@code share} of the rate and of the burst, at least one request). */
    public Gcra share(double share) {
        if (share <= 0 || share > 1) {
            throw new IllegalArgumentException("share must be in (0, 1], was " + share);
        }
        long emission = Math.max(1, Math.round(this.emission / share));
        long burst = Math.max(1, Math.round((tolerance / (double) this.emission + 1) * share));
        return new Gcra(emission, emission * (burst - 1));
    }

    /**
     * What a request at {@code now} gets, given the key's TAT (or {@code Long.MIN_VALUE} for a key
     * never seen).
     */
    public Outcome check(long tat, long now) {
        long from = Math.max(tat, now);
        long allowAt = from - tolerance;
        if (now < allowAt) {
            return new Outcome(false, tat, allowAt - now, 0, from - now);
        }
        long next = from + emission;
        long remaining = (now + tolerance - from) / emission;
        return new Outcome(true, next, 0, remaining, next - now);
    }

    /** How many requests it lets through at once: its burst. */
    public long burst() {
        return tolerance / emission + 1;
    }

    /**
     * @param allowed whether the request conforms
     * @param tat the key's TAT after it (unchanged when refused)
     * @param retryAfter how long until a request would conform (0 when allowed)
     * @param remaining how many more requests would conform right now
     * @param reset how long until the key is back to a full burst
     */
    public record Outcome(boolean allowed, long tat, long retryAfter, long remaining, long reset) {}
}
