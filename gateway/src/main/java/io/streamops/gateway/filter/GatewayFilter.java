package io.streamops.gateway.filter;

import io.streamops.gateway.RequestContext;
import java.util.Map;

/**
 * One step of the request path, applied to every routed request (proxied or ingested) in {@link
 * #order()}: it continues, answers, or adds headers, and it sees the response before its head is
 * sent. A filter applies state it already holds in memory (a decision view, a key ring): it does no
 * I/O on the request path. Filters come from {@link io.streamops.gateway.extension.GatewayExtension}s.
 */
public interface GatewayFilter {

    /** Its name, as its workflow's descriptor names the applier (e.g. "ratelimit"). */
    String name();

    /** Lower runs first: authentication (100) before rate limiting (200) before caching (300). */
    int order();

    Verdict onRequest(RequestContext request);

    /** The response head is about to be sent: a filter may add headers (through {@code request}). */
    default void onResponse(RequestContext request, int status) {}

    /** Counters for {@code /health}: what it applied, what it would have applied in shadow mode, ... */
    default Map<String, Long> counters() {
        return Map.of();
    }
}
