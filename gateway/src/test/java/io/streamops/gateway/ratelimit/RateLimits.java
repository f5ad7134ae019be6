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
                                new PolicyRef("fixed-window-threshold", 1),
                                mode,
                                until.minusSeconds(10),
                                until.minusSeconds(10),
                                Decisions.evidence(key + " sent 101 requests; the limit is 100")
                                        .build(),
                                key))
                        .setDecisionId(decisionId)
                        .build())
                .setKey(key)
                .setAction(RateLimitAction.THROTTLE)
                .setLimitPerSecond(10)
                .setExpiresAt(until)
                .build();
    }
}
