package io.streamops.gateway.cache;

import io.streamops.common.Mode;
import io.streamops.decisions.CacheTtl;
import io.streamops.gateway.view.DecisionLookup;
import java.time.Duration;
import java.util.Map;

/**
 * The TTL in force for each cacheable route: the proposed TTL of the cache-ttl operator's latest
 * decision about the route when that decision is ENFORCE, else the route's configured TTL. A SHADOW
 * decision, the latest, puts the configured TTL back. Never longer than {@code max}: invalidations
 * are remembered for that long (see {@link Freshness}).
 */
final class RouteTtls {

    private final Map<String, Duration> configured;
    private final DecisionLookup<CacheTtl> decisions;
    private final Duration max;

    RouteTtls(Map<String, Duration> configured, DecisionLookup<CacheTtl> decisions, Duration max) {
        this.configured = Map.copyOf(configured);
        this.decisions = decisions;
        this.max = max;
    }

    /** The TTL of the route now, or null for a route not cached. */
    Duration of(String route) {
        Duration ttl = configured.get(route);
        if (ttl == null) {
            return null;
        }
        return decisions
                .current(route)
                .filter(d -> d.getEnvelope().getMode() == Mode.ENFORCE)
                .map(d -> Duration.ofMillis(Math.min(d.getProposedTtlMillis(), max.toMillis())))
                .orElse(ttl);
    }

    /** The longest TTL any route may have. */
    Duration longest() {
        return configured.values().stream().reduce(max, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }
}
