package io.streamops.platform.actuator;

import io.streamops.common.DecisionEnvelope;
import io.streamops.common.Mode;
import io.streamops.common.OutcomeStatus;
import java.util.Set;

/** What the runner does with a decision, before anything is applied. */
final class Outcomes {

    /** Apply it; or record it as a shadow or a duplicate without applying. */
    enum Step {
        APPLY,
        SHADOW,
        DUPLICATE
    }

    private Outcomes() {}

    static Step next(DecisionEnvelope envelope, Set<String> applied) {
        if (envelope.getMode() != Mode.ENFORCE) {
            return Step.SHADOW;
        }
        return applied.contains(envelope.getDecisionId()) ? Step.DUPLICATE : Step.APPLY;
    }

    static OutcomeStatus status(Step step) {
        return switch (step) {
            case SHADOW -> OutcomeStatus.SHADOW;
            case DUPLICATE -> OutcomeStatus.DUPLICATE;
            case APPLY -> OutcomeStatus.APPLIED;
        };
    }
}
