package io.streamops.jobs.loganomaly;

import static io.streamops.workflows.loganomaly.LogAnomalyWorkflow.IDLENESS;
import static io.streamops.workflows.loganomaly.LogAnomalyWorkflow.MODE;
import static io.streamops.workflows.loganomaly.LogAnomalyWorkflow.OUT_OF_ORDERNESS;
import static io.streamops.workflows.loganomaly.LogAnomalyWorkflow.THRESHOLD;
import static io.streamops.workflows.loganomaly.LogAnomalyWorkflow.WINDOW;

import io.streamops.common.Mode;
import io.streamops.schemas.config.Settings;
import io.streamops.workflows.loganomaly.LogAnomalyWorkflow;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * Config of the log-anomaly job, read from the keys its workflow declares.
 *
 * @param window tumbling event-time window errors are counted in
 * @param threshold errors of one service within a window that make an anomaly
 * @param outOfOrderness how late a log line may arrive and still count
 * @param idleness after how long a silent partition stops holding back event time
 */
public record LogAnomalyConfig(Duration window, long threshold, Duration outOfOrderness, Duration idleness, Mode mode)
        implements Serializable {

    public static LogAnomalyConfig from(Settings settings) {
        settings.validate(List.of(new LogAnomalyWorkflow().config()));
        return new LogAnomalyConfig(
                settings.get(WINDOW),
                settings.get(THRESHOLD),
                settings.get(OUT_OF_ORDERNESS),
                settings.get(IDLENESS),
                settings.get(MODE));
    }
}
