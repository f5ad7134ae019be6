package io.streamops.topologies.requestrate;

import io.streamops.common.Mode;
import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * Config of the request-rate operator.
 *
 * @param window length of the fixed (tumbling) counting window
 * @param grace how long after a window ends late requests still count in it
 * @param limit requests per client per window allowed before a limit is decided
 * @param mode ENFORCE to have the gateway apply limits, SHADOW to only record them
 */
public record RequestRateConfig(Duration window, Duration grace, long limit, Mode mode) {

    static final String PREFIX = "streamops.requestrate.";
    static final List<String> KEYS = List.of(PREFIX + "window", PREFIX + "grace", PREFIX + "limit", PREFIX + "mode");

    public RequestRateConfig {
        if (window.isNegative() || window.isZero()) {
            throw new ConfigException(PREFIX + "window must be positive, was " + window);
        }
        if (grace.isNegative()) {
            throw new ConfigException(PREFIX + "grace must not be negative, was " + grace);
        }
        if (limit < 1) {
            throw new ConfigException(PREFIX + "limit must be at least 1, was " + limit);
        }
    }

    public static RequestRateConfig from(Settings settings) {
        settings.rejectUnknown(PREFIX, KEYS);
        return new RequestRateConfig(
                settings.duration(PREFIX + "window", Duration.ofSeconds(10)),
                settings.duration(PREFIX + "grace", Duration.ofSeconds(5)),
                settings.longValue(PREFIX + "limit", 100),
                settings.enumValue(PREFIX + "mode", Mode.class, Mode.SHADOW));
    }

    /** How long a window's count is kept: the window, its grace, nothing more. */
    Duration retention() {
        return window.plus(grace);
    }
}
