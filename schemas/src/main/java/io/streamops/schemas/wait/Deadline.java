package io.streamops.schemas.wait;

import java.time.Duration;

/**
 * A point in the monotonic clock by which something must have happened: the one way waits here are
 * bounded. For loops that wait by themselves (a consumer's poll, a monitor's wait); otherwise {@link
 * Poll}.
 */
public final class Deadline {

    private final Duration timeout;
    private final long at;

    private Deadline(Duration timeout) {
        this.timeout = timeout;
        this.at = System.nanoTime() + timeout.toNanos();
    }

    public static Deadline in(Duration timeout) {
        return new Deadline(timeout);
    }

    public boolean expired() {
        return System.nanoTime() - at > 0;
    }

    /** What is left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, at - System.nanoTime()));
    }

    /** Throws, naming {@code what} and the timeout, once the deadline has passed. */
    public void check(String what) {
        if (expired()) {
            throw new TimedOut("timed out after " + Poll.describe(timeout) + " waiting for " + what);
        }
    }

    public Duration timeout() {
        return timeout;
    }

    /** A wait that ran out: what was awaited, and for how long. */
    public static final class TimedOut extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public TimedOut(String message) {
            super(message);
        }
    }
}
