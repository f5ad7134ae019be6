package io.streamops.gateway.ratelimit;

import com.google.auto.service.AutoService;
import io.streamops.decisions.RateLimit;
import io.streamops.gateway.extension.GatewayContext;
import io.streamops.gateway.extension.GatewayExtension;
import io.streamops.gateway.extension.Installed;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import java.util.Set;

/** Workflow 6 in the gateway: its filter, on the policies in force, the global limits and the live gateways. */
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
        PolicyView policies = context.closeOnStop(
                new PolicyView(context.kafka(), context.topics().bind(RateLimitWorkflow.POLICIES)));
        LocalBuckets local = new LocalBuckets();
        context.every(1_000, () -> {
            java.time.Instant now = context.clock().instant();
            local.sweep(now.getEpochSecond() * 1_000_000_000L + now.getNano());
        });
        var timeout = context.settings().get(RateLimitWorkflow.INSTANCE_TIMEOUT);
        return Installed.filter(new RateLimitFilter(
                policies::current,
                context.views().view(RateLimitWorkflow.DECISIONS, RateLimit::getExpiresAt),
                local,
                () -> context.membership().live(timeout),
                () -> context.membership().connected(timeout),
                context.settings().get(RateLimitWorkflow.LOCAL_HEADROOM),
                context.settings().get(RateLimitWorkflow.MODE),
                context.clock()));
    }
}
