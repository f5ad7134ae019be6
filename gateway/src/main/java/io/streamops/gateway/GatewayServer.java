package io.streamops.gateway;

import io.opentelemetry.api.trace.Span;
import io.streamops.events.RequestEvent;
import io.streamops.gateway.filter.GatewayFilter;
import io.streamops.gateway.http.JsonAnswer;
import io.streamops.gateway.ingest.IngestHandler;
import io.streamops.gateway.tracing.Tracing;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.proxy.handler.ProxyHandler;
import io.vertx.httpproxy.HttpProxy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP front: a reverse proxy over the route table. Every request gets a typed {@link
 * RequestContext} and a server span; every routed one (proxied or ingested) passes the filter chain
 * first; every answered one becomes a request event, published after the response, off its critical
 * path. Extensions add filters and endpoints of their own; this class names none of them.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    /** Keep-alive connections per upstream server: enough that a burst does not queue behind a few. */
    private static final int UPSTREAM_CONNECTIONS = 128;

    /** The pseudo-route of {@code /ingest}: its filters apply as to any route. */
    public static final Route INGEST_ROUTE = new Route("ingest", "/ingest", List.of(new Route.Upstream("kafka", 9092)));

    private final Vertx vertx;
    private final GatewayConfig config;
    private final RequestEventPublisher events;
    private final Clock clock;
    private final List<Consumer<Router>> mounts;
    private final FilterChain chain;
    private final Optional<IngestHandler> ingest;
    private final Tracing tracing;
    private final Map<String, Supplier<JsonObject>> health;
    private final HttpClient upstreamClient;
    private String deployment;
    private int port;

    /**
     * @param mounts endpoints of the extensions, mounted before the routes
     * @param filters applied to every routed request, in their order
     * @param health further parts of the {@code /health} answer, by name
     */
    public GatewayServer(
            Vertx vertx,
            GatewayConfig config,
            RequestEventPublisher events,
            Clock clock,
            List<Consumer<Router>> mounts,
            List<GatewayFilter> filters,
            Optional<IngestHandler> ingest,
            Tracing tracing,
            Map<String, Supplier<JsonObject>> health) {
        this.vertx = vertx;
        this.config = config;
        this.events = events;
        this.clock = clock;
        this.mounts = List.copyOf(mounts);
        this.chain = new FilterChain(filters);
        this.ingest = ingest;
        this.tracing = tracing;
        this.health = Map.copyOf(health);
        this.upstreamClient = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(UPSTREAM_CONNECTIONS));
    }

    /**
     * Starts listening, one HTTP server per core on one port (as nginx runs a worker per core; Vert.x
     * spreads the connections across them); completes with the bound port.
     */
    public Future<Integer> start() {
        Router router = Router.router(vertx);
        router.get("/health").handler(this::health);
        router.route().handler(this::observe);
        mounts.forEach(mount -> mount.accept(router));
        ingest.ifPresent(handler -> {
            router.post("/ingest/:topic").handler(ctx -> routed(ctx, INGEST_ROUTE, r -> ctx.next()));
            router.post("/ingest/:topic").handler(BodyHandler.create(false).setBodyLimit(IngestHandler.MAX_BODY));
            router.post("/ingest/:topic").handler(handler::handle);
        });
        List<RouteHandler> routes =
                config.routes().stream().map(RouteHandler::new).toList();
        router.route().handler(ctx -> {
            // A path that normalizes to another one (%-escapes, dot segments, double slashes) could
            // slip past a route's filters and still reach it upstream: refuse it.
            if (!ctx.normalizedPath().equals(ctx.request().path())) {
                JsonAnswer.refuse(
                        ctx.response(),
                        400,
                        "non_canonical_path",
                        "send the path in its canonical form: " + ctx.normalizedPath());
                return;
            }
            // Routes come longest prefix first: the first that matches is the most specific.
            for (RouteHandler route : routes) {
                if (route.route.matches(ctx.request().path())) {
                    routed(ctx, route.route, route::proxy);
                    return;
                }
            }
            JsonAnswer.refuse(
                    ctx.response(),
                    404,
                    "no_route",
                    "no route for " + ctx.request().path());
        });
        // Vert.x shares one socket among servers on the same host and port; "any port" is a
        // negative port for that (0 would give each server a port of its own).
        HttpServerOptions options =
                new HttpServerOptions().setHost(config.host()).setPort(config.port() == 0 ? -1 : config.port());
        int cores = Runtime.getRuntime().availableProcessors();
        List<Listener> started = new CopyOnWriteArrayList<>();
        return vertx.deployVerticle(
                        () -> {
                            Listener listener = new Listener(options, router);
                            started.add(listener);
                            return listener;
                        },
                        new DeploymentOptions().setInstances(cores))
                .map(id -> {
                    deployment = id;
                    port = started.get(0).port;
                    LOG.info(
                            "Gateway {} listening on {}:{} ({} event loops) with routes {} and filters {}",
                            config.gatewayId(),
                            config.host(),
                            port,
                            cores,
                            config.routes().stream()
                                    .map(r -> r.prefix() + " -> " + r.upstreams())
                                    .toList(),
                            chain.filters().stream().map(GatewayFilter::name).toList());
                    return port;
                });
    }

    /** One HTTP server on an event loop of its own. */
    private static final class Listener extends VerticleBase {
        private final HttpServerOptions options;
        private final Router router;
        private volatile int port;

        Listener(HttpServerOptions options, Router router) {
            this.options = options;
            this.router = router;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(options)
                    .requestHandler(router)
                    .listen()
                    .onSuccess(s -> port = s.actualPort());
        }
    }

    /** Gives the request its context and span, and publishes its event once the response has ended. */
    private void observe(RoutingContext ctx) {
        long startNanos = System.nanoTime();
        HttpServerRequest request = ctx.request();
        Span span = tracing.start(request.method().name(), request.headers());
        RequestContext context = new RequestContext(
                ctx, startNanos, clock.instant(), clientAddress(request, config.trustForwardedFor()), span);
        RequestContext.attach(ctx, context);
        ctx.addEndHandler(done -> {
            String route =
                    context.route() == null ? "unmatched" : context.route().name();
            Tracing.end(span, request.method().name(), route, ctx.response().getStatusCode());
            events.offer(event(context, span.getSpanContext().getTraceId()));
        });
        ctx.next();
    }

    /** A request a route took: its identity headers cleared, its filters run, then {@code proceed}. */
    private void routed(RoutingContext ctx, Route route, Consumer<RequestContext> proceed) {
        RequestContext context = RequestContext.of(ctx);
        context.route(route);
        RequestContext.IDENTITY_HEADERS.forEach(h -> ctx.request().headers().remove(h));
        chain.run(context, proceed);
    }

    private RequestEvent event(RequestContext context, String traceId) {
        HttpServerRequest request = context.request();
        return RequestEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(context.occurredAt())
                .setGatewayId(config.gatewayId())
                .setMethod(request.method().name())
                .setRoute(
                        context.route() == null ? "unmatched" : context.route().name())
                .setPath(request.path() == null ? "" : request.path())
                .setStatus(context.response().getStatusCode())
                .setLatencyMicros(context.elapsedMicros())
                .setBytesIn(request.bytesRead())
                .setBytesOut(context.response().bytesWritten())
                .setPrincipal(context.principal())
                .setClientAddress(context.clientAddress())
                .setCacheStatus(context.cacheStatus())
                .setTraceId(traceId)
                .setUpstream(context.upstream())
                .setUserAgent(request.getHeader("User-Agent"))
                .setAttributes(context.attributes())
                .build();
    }

    /**
     * The client's address: when the gateway sits behind a trusted load balancer, the entry that
     * balancer appended last to X-Forwarded-For (earlier entries are whatever the client sent),
     * else the peer.
     */
    public static String clientAddress(HttpServerRequest request, boolean trustForwardedFor) {
        if (trustForwardedFor) {
            String forwarded = request.getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                String[] hops = forwarded.split(",");
                return hops[hops.length - 1].trim();
            }
        }
        return request.remoteAddress() == null
                ? "unknown"
                : request.remoteAddress().hostAddress();
    }

    private void health(RoutingContext ctx) {
        RequestEventPublisher.Stats stats = events.stats();
        JsonObject body = new JsonObject()
                .put("status", "UP")
                .put("gatewayId", config.gatewayId())
                .put(
                        "requestEvents",
                        new JsonObject()
                                .put("published", stats.published())
                                .put("dropped", stats.dropped())
                                .put("failed", stats.failed())
                                .put("queued", stats.queued()))
                .put("filters", new JsonObject(new java.util.LinkedHashMap<>(chain.counters())));
        health.forEach((name, part) -> body.put(name, part.get()));
        JsonAnswer.send(ctx.response(), 200, body);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        if (deployment != null) {
            vertx.undeploy(deployment).await();
        }
        upstreamClient.close().await();
    }

    /** Round robin over a route's upstreams. */
    private final class RouteHandler {
        private final Route route;
        private final List<ProxyHandler> proxies;
        private final AtomicLong next = new AtomicLong();

        RouteHandler(Route route) {
            this.route = route;
            this.proxies = route.upstreams().stream()
                    .map(u -> ProxyHandler.create(
                            HttpProxy.reverseProxy(upstreamClient).origin(u.port(), u.host())))
                    .toList();
        }

        void proxy(RequestContext context) {
            tracing.propagate(context.span(), context.request().headers());
            int i = (int) (next.getAndIncrement() % proxies.size());
            context.upstream(route.upstreams().get(i).toString());
            proxies.get(i).handle(context.routing());
        }
    }
}
