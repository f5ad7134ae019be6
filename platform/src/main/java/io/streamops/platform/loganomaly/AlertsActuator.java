package io.streamops.platform.loganomaly;

import com.google.auto.service.AutoService;
import io.streamops.common.DecisionEnvelope;
import io.streamops.decisions.Anomaly;
import io.streamops.platform.actuator.Actuator;
import io.streamops.platform.actuator.ActuatorContext;
import io.streamops.platform.actuator.ActuatorFactory;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.workflows.loganomaly.LogAnomalyWorkflow;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Workflow 3's actuator: turns each ENFORCE anomaly into an alert, to the configured webhook or, by
 * default, to {@code <data dir>/alerts/anomalies.jsonl}. The alert says which service, how bad, what
 * was seen against what was expected, and why (the evidence's summary), under the decision's id.
 */
public final class AlertsActuator implements Actuator<Anomaly> {

    private final AlertSink sink;

    AlertsActuator(AlertSink sink) {
        this.sink = sink;
    }

    /** As the platform finds it. */
    @AutoService(ActuatorFactory.class)
    public static final class Factory implements ActuatorFactory<Anomaly> {
        @Override
        public Workflow.Applier applier() {
            return new LogAnomalyWorkflow().appliers().get(0);
        }

        @Override
        public Actuator<Anomaly> create(ActuatorContext context) throws Exception {
            Optional<java.net.URI> webhook = context.settings().find(LogAnomalyWorkflow.ALERTS_WEBHOOK);
            AlertSink sink = webhook.isPresent()
                    ? new WebhookSink(webhook.get())
                    : new FileSink(context.dataDir().resolve("alerts/anomalies.jsonl"));
            return new AlertsActuator(sink);
        }
    }

    @Override
    public String apply(String key, Anomaly anomaly) throws Exception {
        return sink.deliver(anomaly.getEnvelope().getDecisionId(), alert(anomaly));
    }

    static JsonObject alert(Anomaly anomaly) {
        DecisionEnvelope envelope = anomaly.getEnvelope();
        return new JsonObject()
                .put("decisionId", envelope.getDecisionId())
                .put("service", anomaly.getService())
                .put("severity", anomaly.getSeverity().name())
                .put("signal", anomaly.getSignal())
                .put("summary", envelope.getEvidence().getSummary())
                .put("observed", anomaly.getObserved())
                .put("expected", anomaly.getExpected())
                .put("windowStart", String.valueOf(envelope.getEvidence().getWindowStart()))
                .put("windowEnd", String.valueOf(envelope.getEvidence().getWindowEnd()))
                .put(
                        "policy",
                        envelope.getPolicy().getName() + "/v"
                                + envelope.getPolicy().getVersion())
                .put("operator", envelope.getOperator())
                .put("decidedAt", envelope.getDecisionTime().toString());
    }

    @Override
    public void close() {
        try {
            sink.close();
        } catch (Exception e) {
            // Nothing held that outlives the process.
        }
    }
}
