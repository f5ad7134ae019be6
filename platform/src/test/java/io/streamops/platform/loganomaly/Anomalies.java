package io.streamops.platform.loganomaly;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;

import io.streamops.common.DecisionEnvelope;
import io.streamops.common.Mode;
import io.streamops.common.PolicyRef;
import io.streamops.decisions.Anomaly;
import io.streamops.decisions.Severity;
import io.streamops.schemas.decision.Decisions;

/** Anomaly decisions for tests. */
public final class Anomalies {

    private Anomalies() {}

    public static Anomaly anomaly(String service, String decisionId, Mode mode) {
        DecisionEnvelope envelope = Decisions.envelope(
                "log-anomaly",
                new PolicyRef("error-burst", 1),
                mode,
                BEGINNING.plusSeconds(10),
                BEGINNING.plusSeconds(11),
                Decisions.evidence(service + " logged 8 errors in the 10s window from " + BEGINNING
                                + "; the threshold is 5")
                        .measured("errors", 8)
                        .threshold("threshold", 5)
                        .window(BEGINNING, BEGINNING.plusSeconds(10))
                        .build(),
                service);
        envelope.setDecisionId(decisionId);
        return Anomaly.newBuilder()
                .setEnvelope(envelope)
                .setService(service)
                .setSignal("error-logs")
                .setSeverity(Severity.WARNING)
                .setObserved(8)
                .setExpected(5)
                .build();
    }
}
