package io.streamops.topologies.ratelimit;

import static io.streamops.workflows.ratelimit.RateLimitWorkflow.GRACE;
import static io.streamops.workflows.ratelimit.RateLimitWorkflow.LIMIT;
import static io.streamops.workflows.ratelimit.RateLimitWorkflow.MODE;
import static io.streamops.workflows.ratelimit.RateLimitWorkflow.WINDOW;

import io.streamops.common.Mode;
import io.streamops.schemas.config.Settings;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import java.time.Duration;
import java.util.List;

/**
 * Config of the request-rate operator, read from the keys its workflow declares.
 *
 * @param window length of the fixed (tumbling) counting window
 * @param grace how long after a window ends late requests still count in it
 * @param limit requests per client per window allowed before a limit is decided
 * @param mode ENFORCE to have the gateway apply limits, SHADOW to only record them
 */
public record RequestRateConfig(Duration window, Duration grace, long limit, Mode mode) {

    public static RequestRateConfig from(Settings settings) {
        settings.validate(List.of(new RateLimitWorkflow().config()));
        return new RequestRateConfig(
                settings.get(WINDOW), settings.get(GRACE), settings.get(LIMIT), settings.get(MODE));
    }

    /** How long a window's count is kept: the window, its grace, nothing more. */
    Duration retention() {
        return window.plus(grace);
    }
}
