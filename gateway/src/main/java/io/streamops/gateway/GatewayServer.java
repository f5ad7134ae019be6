package io.streamops.gateway;

import io.streamops.events.CacheStatus;
import io.streamops.events.RequestEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.proxy.handler.ProxyHandler;
import io.vertx.httpproxy.HttpProxy;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP front: a reverse proxy over the route table that emits a request event for
 * every request it answers, after the response, off its critical path.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");

    private final Vertx vertx;
    private final GatewayConfig config;
    private final RequestEventPublisher events;
    private final Clock clock;
    private final HttpClient upstreamClient;
    private HttpServer server;

    public GatewayServer(Vertx vertx, GatewayConfig config, RequestEventPublisher events, Clock clock) {
        this.vertx = vertx;
        this.config = config;
        this.events = events;
        this.clock = clock;
        this.upstreamClient = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    }

    /** Starts listening; completes with the bound port. */
    public Future<Integer> start() {
        Router router = Router.router(vertx);
        router.get("/health").handler(this::health);
        router.route().handler(this::observe);
        List<RouteHandler> routes = config.routes().stream()
                .map(route -> new RouteHandler(route, route.upstreams().stream()
                        .map(u -> ProxyHandler.create(HttpProxy.reverseProxy(upstreamClient).origin(u.port(), u.host())))
                        .toList()))
                .toList();
        router.route().handler(ctx -> {
            // Routes come longest prefix first: the first that matches is the most specific.
            for (RouteHandler route : routes) {
                if (route.route.matches(ctx.request().path())) {
                    route.handle(ctx);
                    return;
                }
            }
            json(ctx, 404, new JsonObject()
                    .put("error", "no_route")
                    .put("message", "no route for " + ctx.request().path()));
        });
        HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port());
        return vertx.createHttpServer(options).requestHandler(router).listen().map(s -> {
            server = s;
            LOG.info("Gateway {} listening on {}:{} with routes {}", config.gatewayId(), config.host(), s.actualPort(),
                    config.routes().stream().map(r -> r.prefix() + " -> " + r.upstreams()).toList());
            return s.actualPort();
        });
    }

    /** Measures every request and publishes its event once the response has ended. */
    private void observe(RoutingContext ctx) {
        long startNanos = System.nanoTime();
        Instant occurredAt = clock.instant();
        ctx.addEndHandler(done -> events.offer(event(ctx, occurredAt, (System.nanoTime() - startNanos) / 1_000)));
        ctx.next();
    }

    private RequestEvent event(RoutingContext ctx, Instant occurredAt, long latencyMicros) {
        HttpServerRequest request = ctx.request();
        Route route = ctx.get("route");
        return RequestEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(occurredAt)
                .setGatewayId(config.gatewayId())
                .setMethod(request.method().name())
                .setRoute(route == null ? "unmatched" : route.name())
                .setPath(request.path() == null ? "" : request.path())
                .setStatus(ctx.response().getStatusCode())
                .setLatencyMicros(latencyMicros)
                .setBytesIn(request.bytesRead())
                .setBytesOut(ctx.response().bytesWritten())
                .setPrincipal(null)
                .setClientAddress(clientAddress(request))
                .setCacheStatus(CacheStatus.NONE)
                .setTraceId(traceId(request.getHeader("traceparent")))
                .setUpstream(ctx.get("upstream"))
                .setUserAgent(request.getHeader("User-Agent"))
                .build();
    }

    String clientAddress(HttpServerRequest request) {
        if (config.trustForwardedFor()) {
            String forwarded = request.getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                return forwarded.split(",")[0].trim();
            }
        }
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }

    static String traceId(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        var matcher = TRACEPARENT.matcher(traceparent.trim());
        return matcher.matches() ? matcher.group(1) : null;
    }

    private void health(RoutingContext ctx) {
        RequestEventPublisher.Stats stats = events.stats();
        json(ctx, 200, new JsonObject()
                .put("status", "UP")
                .put("gatewayId", config.gatewayId())
                .put("requestEvents", new JsonObject()
                        .put("published", stats.published())
                        .put("dropped", stats.dropped())
                        .put("failed", stats.failed())
                        .put("queued", stats.queued())));
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().await();
        }
        upstreamClient.close().await();
    }

    /** Round robin over a route's upstreams. */
    private static final class RouteHandler {
        private final Route route;
        private final List<ProxyHandler> proxies;
        private final AtomicLong next = new AtomicLong();

        RouteHandler(Route route, List<ProxyHandler> proxies) {
            this.route = route;
            this.proxies = proxies;
        }

        void handle(RoutingContext ctx) {
            int i = (int) (next.getAndIncrement() % proxies.size());
            ctx.put("route", route);
            ctx.put("upstream", route.upstreams().get(i).toString());
            proxies.get(i).handle(ctx);
        }
    }
}
