package io.streamops.gateway.ratelimit;

import io.streamops.common.DecisionEnvelope;
import io.streamops.common.Mode;
import io.streamops.decisions.RateLimit;
import io.streamops.decisions.RateLimitAction;
import io.streamops.gateway.RequestContext;
import io.streamops.gateway.filter.GatewayFilter;
import io.streamops.gateway.filter.Verdict;
import io.streamops.gateway.http.JsonAnswer;
import io.streamops.gateway.view.DecisionLookup;
import io.streamops.schemas.keys.ClientKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Applies the rate limits workflow 6 decides: a client (its principal, else its address) with a live
 * ENFORCE limit gets 429 with {@code Retry-After} until the limit lapses, on every gateway instance;
 * under a SHADOW limit it is served and counted as would-have-been-refused. A lookup in the decision
 * view, nothing more, on the request path.
 */
final class RateLimitFilter implements GatewayFilter {

    static final int ORDER = 200;

    private final DecisionLookup<RateLimit> limits;
    private final Clock clock;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong shadow = new AtomicLong();

    RateLimitFilter(DecisionLookup<RateLimit> limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "ratelimit";
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public Verdict onRequest(RequestContext request) {
        Optional<RateLimit> limit = limits.current(ClientKeys.of(request.principal(), request.clientAddress()));
        if (limit.isEmpty() || limit.get().getAction() == RateLimitAction.LIFT) {
            return Verdict.PROCEED;
        }
        DecisionEnvelope envelope = limit.get().getEnvelope();
        if (envelope.getMode() != Mode.ENFORCE) {
            shadow.incrementAndGet();
            return Verdict.PROCEED;
        }
        refused.incrementAndGet();
        long seconds = Math.max(
                1,
                (Duration.between(clock.instant(), limit.get().getExpiresAt()).toMillis() + 999) / 1000);
        return Verdict.answer(
                429,
                Map.of("Retry-After", Long.toString(seconds)),
                JsonAnswer.refusal("rate_limited", envelope.getEvidence().getSummary())
                        .put("decisionId", envelope.getDecisionId())
                        .put(
                                "policy",
                                envelope.getPolicy().getName() + "/v"
                                        + envelope.getPolicy().getVersion()));
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("refused", refused.get(), "shadow", shadow.get());
    }
}
