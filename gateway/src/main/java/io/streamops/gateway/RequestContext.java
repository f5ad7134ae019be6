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
    private Map<String, String> attributes = Map.of();
    private Route route;
    private String principal;
    private String upstream;
    private CacheStatus cacheStatus = CacheStatus.NONE;

    /** What filters read of the HTTP request: its method, path and headers. */
    public interface Line {
        String method();

        String path();

        /** A header's value (the first, case-insensitive), or null. */
        String header(String name);
    }

    private final Line line;

    RequestContext(RoutingContext routing, long startNanos, Instant occurredAt, String clientAddress, Span span) {
        this(
                routing,
                new Line() {
                    @Override
                    public String method() {
                        return routing.request().method().name();
                    }

                    @Override
                    public String path() {
                        return routing.request().path();
                    }

                    @Override
                    public String header(String name) {
                        return routing.request().getHeader(name);
                    }
                },
                startNanos,
                occurredAt,
                clientAddress,
                span);
    }

    /** A context over a request line alone, without a server: what filter tests build. */
    RequestContext(
            RoutingContext routing, Line line, long startNanos, Instant occurredAt, String clientAddress, Span span) {
        this.line = line;
        this.routing = routing;
        this.startNanos = startNanos;
        this.occurredAt = occurredAt;
        this.clientAddress = clientAddress;
        this.span = span;
    }

    /**
     * A context over a request line alone, on {@code route}, without a server: for filters driven
     * outside a gateway (the benchmarks).
     */
    public static RequestContext detached(Line line, Route route, Instant occurredAt, String clientAddress) {
        RequestContext context = new RequestContext(null, line, 0, occurredAt, clientAddress, Span.getInvalid());
        context.route(route);
        return context;
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

    public String method() {
        return line.method();
    }

    public String path() {
        return line.path();
    }

    /** A request header's value (case-insensitive), or null. */
    public String header(String name) {
        return line.header(name);
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

    /** Records the upstream server that answered (the proxy, or a filter that fetched for it). */
    public void upstream(String upstream) {
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

    /** A fact a filter records about the request, for its request event's attributes. */
    public void attribute(String name, String value) {
        if (attributes.isEmpty()) {
            attributes = new java.util.HashMap<>(4);
        }
        attributes.put(name, value);
    }

    Map<String, String> attributes() {
        return attributes;
    }

    /** Microseconds since the gateway saw the request. */
    long elapsedMicros() {
        return (System.nanoTime() - startNanos) / 1_000;
    }
}
