package io.streamops.workflows.loganomaly;

import com.google.auto.service.AutoService;
import io.streamops.common.ActuationOutcome;
import io.streamops.common.DeadLetter;
import io.streamops.common.Mode;
import io.streamops.decisions.Anomaly;
import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.config.ConfigKey;
import io.streamops.schemas.topics.CleanupPolicy;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.Topics;
import io.streamops.schemas.workflow.Workflow;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Workflow 3, log anomalies: the log-anomaly Flink job counts each service's error lines in
 * event-time windows and decides an Anomaly when a window holds too many; the alerts actuator
 * delivers ENFORCE anomalies (a webhook, or a file) and records each outcome.
 */
@AutoService(Workflow.class)
public final class LogAnomalyWorkflow implements Workflow {

    public static final String NAME = "loganomaly";
    public static final String OPERATOR = "log-anomaly";
    static final String PREFIX = "streamops.loganomaly.";

    public static final Topic<String, Anomaly> DECISIONS = Topics.decisions(
            "anomalies",
            Anomaly.class,
            CleanupPolicy.DELETE,
            "Workflow 3: anomalies in logs and metrics, keyed by service");
    public static final Topic<String, DeadLetter> DEAD_LETTERS = Topics.deadLetters(OPERATOR);
    public static final Topic<String, ActuationOutcome> OUTCOMES =
            Topics.outcomes("anomalies", "What the alerts actuator did with each anomaly, keyed by decision id");

    public static final ConfigKey<Duration> WINDOW = ConfigKey.duration(
                    PREFIX + "window", Duration.ofSeconds(10), "tumbling event-time window errors are counted in")
            .check(d -> !d.isNegative() && !d.isZero(), "must be positive");
    public static final ConfigKey<Long> THRESHOLD = ConfigKey.longValue(
                    PREFIX + "threshold", 5, "errors of one service within a window that make an anomaly")
            .check(n -> n >= 1, "must be at least 1");
    public static final ConfigKey<Duration> OUT_OF_ORDERNESS = ConfigKey.duration(
                    PREFIX + "outoforderness", Duration.ofSeconds(2), "how late a log line may arrive and still count")
            .check(d -> !d.isNegative(), "must not be negative");
    public static final ConfigKey<Duration> IDLENESS = ConfigKey.duration(
                    PREFIX + "idleness",
                    Duration.ofSeconds(5),
                    "after how long a silent partition stops holding back event time")
            .check(d -> !d.isNegative() && !d.isZero(), "must be positive");
    public static final ConfigKey<Mode> MODE = ConfigKey.enumValue(
            PREFIX + "mode",
            Mode.class,
            Mode.SHADOW,
            "enforce: the alerts actuator delivers each anomaly; shadow: recorded, and counted as would-have-alerted");
    public static final ConfigKey<URI> ALERTS_WEBHOOK = ConfigKey.uri(
                    PREFIX + "alerts.webhook",
                    "where the alerts actuator POSTs each anomaly as JSON (with an Idempotency-Key header of its decision id)")
            .defaultDoc("(none: alerts go to data/alerts/anomalies.jsonl)");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "Workflow 3: log anomalies";
    }

    @Override
    public String decides() {
        return "an anomaly for a service whose error log lines in a window reach the threshold";
    }

    @Override
    public List<Topic<?, ?>> topics() {
        return List.of(DECISIONS, DEAD_LETTERS, OUTCOMES);
    }

    @Override
    public ConfigGroup config() {
        return ConfigGroup.of(
                "Log anomalies (workflow 3): the log-anomaly job and the alerts actuator",
                PREFIX,
                WINDOW,
                THRESHOLD,
                OUT_OF_ORDERNESS,
                IDLENESS,
                MODE,
                ALERTS_WEBHOOK);
    }

    @Override
    public List<Operator> operators() {
        return List.of(new Operator(
                OPERATOR,
                Engine.FLINK,
                List.of(Topics.LOGS),
                List.of(DECISIONS, DEAD_LETTERS),
                Optional.of(DEAD_LETTERS),
                List.of(new StateBound(
                        "log-anomaly-window",
                        "one tally per service and open window, cleared when the window fires"))));
    }

    @Override
    public List<Applier> appliers() {
        return List.of(new Applier("alerts", Where.ACTUATOR, DECISIONS, Optional.of(OUTCOMES)));
    }
}
