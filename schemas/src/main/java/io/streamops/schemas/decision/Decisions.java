package io.streamops.schemas.decision;

import io.streamops.common.DecisionEnvelope;
import io.streamops.common.Evidence;
import io.streamops.common.Mode;
import io.streamops.common.PolicyRef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/** Builds decision envelopes and their evidence the same way in every operator. */
public final class Decisions {

    private Decisions() {}

    /** The envelope a decision of any type starts with. */
    public static DecisionEnvelope envelopeOf(SpecificRecord decision) {
        return (DecisionEnvelope)
                decision.get(decision.getSchema().getField("envelope").pos());
    }

    /** The evidence of a decision, starting from its one-sentence summary. */
    public static EvidenceBuilder evidence(String summary) {
        return new EvidenceBuilder(summary);
    }

    /**
     * An envelope whose id is derived from the operator, the policy and {@code identity} (what the
     * decision is about, e.g. key and window): replaying the same inputs through the same policy
     * gives the same id, which is what actuators deduplicate on.
     */
    public static DecisionEnvelope envelope(
            String operator,
            PolicyRef policy,
            Mode mode,
            Instant eventTime,
            Instant decisionTime,
            Evidence evidence,
            String identity) {
        String seed = operator + '\u0000' + policy.getName() + '\u0000' + policy.getVersion() + '\u0000' + identity;
        return DecisionEnvelope.newBuilder()
                .setDecisionId(UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8))
                        .toString())
                .setOperator(operator)
                .setPolicy(PolicyRef.newBuilder(policy).build())
                .setMode(mode)
                .setEventTime(eventTime)
                .setDecisionTime(decisionTime)
                .setEvidence(evidence)
                .build();
    }
}
