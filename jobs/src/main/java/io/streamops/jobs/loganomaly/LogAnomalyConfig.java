package io.streamops.jobs.loganomaly;

import io.streamops.common.Mode;
import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.Settings;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * Config of the log-anomaly job.
 *
 * @param window tumbling event-time window errors are counted in
 * @param threshold errors of one service within a window that make an anomaly
 * @param outOfOrderness how late a log line may arrive and still count
 * @param idleness after how long a silent partition stops holding back event time
 */
public record LogAnomalyConfig(Duration window, long threshold, Duration outOfOrderness, Duration idleness, Mode mode)
        implements Serializable {

    static final String PREFIX = "streamops.loganomaly.";

    public LogAnomalyConfig {
        if (window.isNegative() || window.isZero()) {
            throw new ConfigException(PREFIX + "window must be positive, was " + window);
        }
        if (threshold < 1) {
            throw new ConfigException(PREFIX + "threshold must be at least 1, was " + threshold);
        }
    }

    public static LogAnomalyConfig from(Settings settings) {
        settings.rejectUnknown(
                PREFIX,
                List.of(
                        PREFIX + "window",
                        PREFIX + "threshold",
                        PREFIX + "outoforderness",
                        PREFIX + "idleness",
                        PREFIX + "mode"));
        return new LogAnomalyConfig(
                settings.duration(PREFIX + "window", Duration.ofSeconds(10)),
                settings.longValue(PREFIX + "threshold", 5),
                settings.duration(PREFIX + "outoforderness", Duration.ofSeconds(2)),
                settings.duration(PREFIX + "idleness", Duration.ofSeconds(5)),
                settings.enumValue(PREFIX + "mode", Mode.class, Mode.SHADOW));
    }
}
