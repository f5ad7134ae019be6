package io.streamops.gateway.ratelimit;

import io.streamops.common.DecisionEnvelope;
import io.streamops.common.Mode;
import io.streamops.common.PolicyRef;
import io.streamops.decisions.RateLimit;
import io.streamops.decisions.RateLimitAction;
import io.streamops.schemas.decision.Decisions;
import java.time.Instant;

/** Rate-limit decisions for tests. */
public final class RateLimits {

    private RateLimits() {}

    public static RateLimit limit(String key, String decisionId, Mode mode, Instant until) {
        return RateLimit.newBuilder()
                .setEnvelope(DecisionEnvelope.newBuilder(Decisions.envelope(
                                "request-rate",
                                new PolicyRef("gcra", 1),
                                mode,
                                until.minusSeconds(10),
                                until.minusSeconds(10),
                                Decisions.evidence(
                                                key
                                                        + ": 4 requests admitted in 0.1s through 1 gateway(s); the limit is 3 per second (burst 3)")
                                        .build(),
                                key))
                        .setDecisionId(decisionId)
                        .build())
                .setKey(key)
                .setAction(RateLimitAction.BLOCK)
                .setLimitPerSecond(10)
                .setExpiresAt(until)
                .build();
    }
}
