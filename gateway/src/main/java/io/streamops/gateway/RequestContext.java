package io.streamops.gateway;

import io.opentelemetry.api.trace.Span;
import io.streamops.events.CacheStatus;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the gateway knows about one request while it answers it, typed: when it came, from where,
 * which route took it, who the caller is once a filter has verified it, which upstream served it.
 * The request event is built from it when the response has ended.
 */
public final class RequestContext {

    /** Headers the gateway sets for upstreams after verifying a token; never taken from clients. */
    public static final List<String> IDENTITY_HEADERS =
            List.of("X-Streamops-User", "X-Streamops-Email", "X-Streamops-Token-Kid");

    private static final String KEY = RequestContext.class.getName();

    private final RoutingContext routing;
    private final long startNanos;
    private final Instant occurredAt;
    private final String clientAddress;
    private final Span span;
    private final List<Map.Entry<String, String>> responseHeaders = new ArrayList<>(2);
    private Route route;
    private String principal;
    private String upstream;
    private CacheStatus cacheStatus = CacheStatus.NONE;

    RequestContext(RoutingContext routing, long startNanos, Instant occurredAt, String clientAddress, Span span) {
        this.routing = routing;
        this.startNanos = startNanos;
        this.occurredAt = occurredAt;
        this.clientAddress = clientAddress;
        this.span = span;
    }

    static void attach(RoutingContext routing, RequestContext context) {
        routing.put(KEY, context);
    }

    /** The context of a request the gateway is answering. */
    public static RequestContext of(RoutingContext routing) {
        return routing.get(KEY);
    }

    public HttpServerRequest request() {
        return routing.request();
    }

    HttpServerResponse response() {
        return routing.response();
    }

    RoutingContext routing() {
        return routing;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    long startNanos() {
        return startNanos;
    }

    /** The client's address: the peer's, or the trusted load balancer's last X-Forwarded-For hop. */
    public String clientAddress() {
        return clientAddress;
    }

    public Span span() {
        return span;
    }

    /** The route that took the request; null until one matched. */
    public Route route() {
        return route;
    }

    void route(Route route) {
        this.route = route;
    }

    /** The verified caller (a JWT's subject), or null for an anonymous request. */
    public String principal() {
        return principal;
    }

    /** Records the caller a filter verified, and tells the upstream in the identity headers. */
    public void identify(String subject, String email, String keyId) {
        this.principal = subject;
        request().headers().set("X-Streamops-User", subject);
        if (email != null) {
            request().headers().set("X-Streamops-Email", email);
        }
        request().headers().set("X-Streamops-Token-Kid", keyId);
    }

    public String upstream() {
        return upstream;
    }

    void upstream(String upstream) {
        this.upstream = upstream;
    }

    public CacheStatus cacheStatus() {
        return cacheStatus;
    }

    public void cacheStatus(CacheStatus status) {
        this.cacheStatus = status;
    }

    /** A header to add to the response when its head is sent (e.g. a rate limit's remaining quota). */
    public void addResponseHeader(String name, String value) {
        responseHeaders.add(Map.entry(name, value));
    }

    List<Map.Entry<String, String>> responseHeaders() {
        return responseHeaders;
    }

    /** Microseconds since the gateway saw the request. */
    long elapsedMicros() {
        return (System.nanoTime() - startNanos) / 1_000;
    }
}
