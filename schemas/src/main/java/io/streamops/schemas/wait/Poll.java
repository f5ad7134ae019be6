package io.streamops.schemas.wait;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it with a deadline, the pause growing from 10 ms to 200 ms: the
 * one polling loop of the code base and its tests. Never a fixed sleep.
 */
public final class Poll {

    private Poll() {}

    /** Polls {@code condition} until it holds; fails after {@code timeout} naming {@code what}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        Deadline deadline = Deadline.in(timeout);
        long pause = 10;
        while (!condition.getAsBoolean()) {
            deadline.check(what);
            pauseFor(Math.min(pause, Math.max(1, deadline.remaining().toMillis())));
            pause = Math.min(pause * 2, 200);
        }
    }

    /** Polls {@code value} until it is non-null, and returns it. */
    public static <T> T value(String what, Duration timeout, Supplier<T> value) {
        Object[] holder = new Object[1];
        until(what, timeout, () -> (holder[0] = value.get()) != null);
        @SuppressWarnings("unchecked")
        T result = (T) holder[0];
        return result;
    }

    static String describe(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    private static void pauseFor(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while polling", e);
        }
    }
}
