package io.streamops.workflows.ratelimit.policy;

import java.util.List;

/**
 * The {@code rate_limit} block of a descriptor: {@code requests_per_unit} per {@code unit}, with
 * room for {@code burst} requests at once (ours; by default one unit's worth), or {@code
 * unlimited}; {@code name} and {@code replaces} as in Envoy's rate-limit service.
 */
public record Limit(
        Unit unit, long requestsPerUnit, long burst, boolean unlimited, String name, List<String> replaces) {

    public Limit {
        replaces = List.copyOf(replaces);
    }

    /** The GCRA of this limit on nanoseconds; a limit of 0 requests refuses everything (Envoy's way to block). */
    public Gcra gcra() {
        return requestsPerUnit == 0
                ? new Gcra(Long.MAX_VALUE / 4, 0)
                : Gcra.of(requestsPerUnit, unit.period().toNanos(), burst);
    }

    /** The window of the IETF {@code RateLimit-Policy} header, in seconds. */
    public long windowSeconds() {
        return unit.period().toSeconds();
    }
}
