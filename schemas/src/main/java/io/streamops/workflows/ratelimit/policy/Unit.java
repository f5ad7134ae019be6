package io.streamops.workflows.ratelimit.policy;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The period of a rate limit, as Envoy's rate-limit service names them. */
public enum Unit {
    SECOND(Duration.ofSeconds(1)),
    MINUTE(Duration.ofMinutes(1)),
    HOUR(Duration.ofHours(1)),
    DAY(Duration.ofDays(1)),
    WEEK(Duration.ofDays(7)),
    MONTH(Duration.ofDays(30)),
    YEAR(Duration.ofDays(365));

    private final Duration period;

    Unit(Duration period) {
        this.period = period;
    }

    public Duration period() {
        return period;
    }

    public static Optional<Unit> parse(String text) {
        return Arrays.stream(values())
                .filter(u -> u.name().equals(text.toUpperCase(Locale.ROOT)))
                .findFirst();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
