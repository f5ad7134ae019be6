package io.streamops.gateway.ratelimit;

import com.google.auto.service.AutoService;
import io.streamops.decisions.RateLimit;
import io.streamops.gateway.extension.GatewayContext;
import io.streamops.gateway.extension.GatewayExtension;
import io.streamops.gateway.extension.Installed;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import java.util.Set;

/** Workflow 6 in the gateway: its filter, on the view of its decisions. */
@AutoService(GatewayExtension.class)
public final class RateLimitExtension implements GatewayExtension {

    @Override
    public String name() {
        return RateLimitWorkflow.NAME;
    }

    @Override
    public Set<String> implementsParts() {
        return Set.of("ratelimit");
    }

    @Override
    public Installed install(GatewayContext context) {
        return Installed.filter(new RateLimitFilter(
                context.views().view(RateLimitWorkflow.DECISIONS, RateLimit::getExpiresAt), context.clock()));
    }
}
