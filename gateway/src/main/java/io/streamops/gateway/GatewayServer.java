package io.streamops.gateway;

import com.nimbusds.jose.JWSObject;
import io.opentelemetry.api.trace.Span;
import io.streamops.events.CacheStatus;
import io.streamops.events.RequestEvent;
import io.streamops.gateway.auth.AuthRoutes;
import io.streamops.gateway.auth.jwt.JwtVerifier;
import io.streamops.gateway.auth.jwt.Rejection;
import io.streamops.gateway.auth.jwt.RemoteJwks;
import io.streamops.gateway.auth.jwt.Verification;
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
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP front: a reverse proxy over the route table that emits a request event for
 * every request it answers, after the response, off its critical path.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private static final String SPAN = "span";
    /** Keep-alive connections per upstream server: enough that a burst does not queue behind a few. */
    private static final int UPSTREAM_CONNECTIONS = 128;

    private static final Route INGEST_ROUTE =
            new Route("ingest", "/ingest", List.of(new Route.Upstream("kafka", 9092)), true);

    /** Headers the gateway sets for upstreams after verifying a token; never taken from clients. */
    static final List<String> IDENTITY_HEADERS =
            List.of("X-Streamops-User", "X-Streamops-Email", "X-Streamops-Token-Kid");

    /**
     * The auth parts: Better-Auth's API (when this gateway is the auth server), the verifier guarding
     * routes that require a token, and an external issuer's keys to refetch on an unknown kid.
     */
    public record Auth(Optional<AuthRoutes> routes, JwtVerifier verifier, Optional<RemoteJwks> external) {}

    private final Vertx vertx;
    private final GatewayConfig config;
    private final RequestEventPublisher events;
    private final Clock clock;
    private final Optional<Auth> auth;
    private final Optional<IngestHandler> ingest;
    private final Tracing tracing;
    private final HttpClient upstreamClient;
    private String deployment;
    private int port;

    public GatewayServer(
            Vertx vertx,
            GatewayConfig config,
            RequestEventPublisher events,
            Clock clock,
            Optional<Auth> auth,
            Optional<IngestHandler> ingest,
            Tracing tracing) {
        this.tracing = tracing;
        this.vertx = vertx;
        this.config = config;
        this.events = events;
        this.clock = clock;
        this.auth = auth;
        this.ingest = ingest;
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
        auth.flatMap(Auth::routes).ifPresent(routes -> routes.mount(router));
        ingest.ifPresent(handler -> {
            router.post("/ingest/:topic").handler(ctx -> {
                ctx.put("route", INGEST_ROUTE);
                if (config.ingestAuth()) {
                    ctx.request().pause();
                    authenticate(ctx, ctx::next);
                } else {
                    ctx.next();
                }
            });
            router.post("/ingest/:topic").handler(BodyHandler.create(false).setBodyLimit(IngestHandler.MAX_BODY));
            router.post("/ingest/:topic").handler(handler::handle);
        });
        List<RouteHandler> routes = config.routes().stream()
                .map(route -> new RouteHandler(
                        route,
                        route.upstreams().stream()
                                .map(u -> ProxyHandler.create(
                                        HttpProxy.reverseProxy(upstreamClient).origin(u.port(), u.host())))
                                .toList()))
                .toList();
        router.route().handler(ctx -> {
            // A path that normalizes to another one (%-escapes, dot segments, double slashes) could
            // slip past a protected prefix and still reach it upstream: refuse it.
            if (!ctx.normalizedPath().equals(ctx.request().path())) {
                json(
                        ctx,
                        400,
                        new JsonObject()
                                .put("error", "non_canonical_path")
                                .put("message", "send the path in its canonical form: " + ctx.normalizedPath()));
                return;
            }
            // Routes come longest prefix first: the first that matches is the most specific.
            for (RouteHandler route : routes) {
                if (route.route.matches(ctx.request().path())) {
                    route.handle(ctx);
                    return;
                }
            }
            json(
                    ctx,
                    404,
                    new JsonObject()
                            .put("error", "no_route")
                            .put("message", "no route for " + ctx.request().path()));
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
                            "Gateway {} listening on {}:{} ({} event loops) with routes {}",
                            config.gatewayId(),
                            config.host(),
                            port,
                            cores,
                            config.routes().stream()
                                    .map(r -> r.prefix() + " -> " + r.upstreams())
                                    .toList());
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

    /** Measures every request and publishes its event once the response has ended. */
    private void observe(RoutingContext ctx) {
        long startNanos = System.nanoTime();
        Instant occurredAt = clock.instant();
        Span span = tracing.start(ctx.request().method().name(), ctx.request().headers());
        ctx.put(SPAN, span);
        ctx.addEndHandler(done -> {
            Route route = ctx.get("route");
            Tracing.end(
                    span,
                    ctx.request().method().name(),
                    route == null ? "unmatched" : route.name(),
                    ctx.response().getStatusCode());
            events.offer(event(
                    ctx,
                    occurredAt,
                    (System.nanoTime() - startNanos) / 1_000,
                    span.getSpanContext().getTraceId()));
        });
        ctx.next();
    }

    private RequestEvent event(RoutingContext ctx, Instant occurredAt, long latencyMicros, String traceId) {
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
                .setPrincipal(ctx.get("principal"))
                .setClientAddress(clientAddress(request, config.trustForwardedFor()))
                .setCacheStatus(CacheStatus.NONE)
                .setTraceId(traceId)
                .setUpstream(ctx.get("upstream"))
                .setUserAgent(request.getHeader("User-Agent"))
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
        json(
                ctx,
                200,
                new JsonObject()
                        .put("status", "UP")
                        .put("gatewayId", config.gatewayId())
                        .put(
                                "requestEvents",
                                new JsonObject()
                                        .put("published", stats.published())
                                        .put("dropped", stats.dropped())
                                        .put("failed", stats.failed())
                                        .put("queued", stats.queued())));
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
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

    /**
     * Verifies the bearer JWT of a request to a protected route, then proxies it with the identity
     * headers; otherwise answers 401 with the reason code. A kid unknown to an external issuer's
     * cached keys triggers one (rate-limited) refetch before the token is refused.
     */
    private void authenticate(RoutingContext ctx, Runnable proceed) {
        String authorization = ctx.request().getHeader("Authorization");
        String token = authorization != null && authorization.regionMatches(true, 0, "bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : null;
        if (auth.isEmpty()) {
            admit(
                    ctx,
                    new Verification.Rejected(Rejection.UNKNOWN_KID, "no token verification is configured"),
                    proceed);
            return;
        }
        Verification result = auth.get().verifier().verify(token);
        Optional<RemoteJwks> external = auth.get().external();
        if (result instanceof Verification.Rejected r && r.reason() == Rejection.UNKNOWN_KID && external.isPresent()) {
            String kid = kidOf(token);
            vertx.executeBlocking(() -> kid != null && external.get().refetchFor(kid), false)
                    .onComplete(done -> admit(
                            ctx,
                            done.succeeded() && done.result()
                                    ? auth.get().verifier().verify(token)
                                    : result,
                            proceed));
            return;
        }
        admit(ctx, result, proceed);
    }

    private static String kidOf(String token) {
        try {
            return JWSObject.parse(token).getHeader().getKeyID();
        } catch (ParseException e) {
            return null;
        }
    }

    private void admit(RoutingContext ctx, Verification result, Runnable proceed) {
        ctx.request().resume();
        if (result instanceof Verification.Valid valid) {
            String subject = valid.claims().getSubject();
            ctx.put("principal", subject);
            ctx.request().headers().set("X-Streamops-User", subject);
            Object email = valid.claims().getClaim("email");
            if (email != null) {
                ctx.request().headers().set("X-Streamops-Email", email.toString());
            }
            ctx.request().headers().set("X-Streamops-Token-Kid", valid.kid());
            proceed.run();
            return;
        }
        Verification.Rejected rejected = (Verification.Rejected) result;
        ctx.response()
                .putHeader(
                        "WWW-Authenticate",
                        "Bearer error=\"invalid_token\", error_description=\""
                                + rejected.reason().code() + "\"");
        json(
                ctx,
                401,
                new JsonObject()
                        .put("error", "unauthorized")
                        .put("reason", rejected.reason().code())
                        .put("message", rejected.detail()));
    }

    /** Round robin over a route's upstreams. */
    private final class RouteHandler {
        private final Route route;
        private final List<ProxyHandler> proxies;
        private final AtomicLong next = new AtomicLong();

        RouteHandler(Route route, List<ProxyHandler> proxies) {
            this.route = route;
            this.proxies = proxies;
        }

        void handle(RoutingContext ctx) {
            IDENTITY_HEADERS.forEach(h -> ctx.request().headers().remove(h));
            if (route.authRequired()) {
                // Verification may complete later (a JWKS refetch): hold the body until then.
                ctx.request().pause();
                authenticate(ctx, () -> proxy(ctx));
            } else {
                proxy(ctx);
            }
        }

        void proxy(RoutingContext ctx) {
            tracing.propagate(ctx.get(SPAN), ctx.request().headers());
            int i = (int) (next.getAndIncrement() % proxies.size());
            ctx.put("route", route);
            ctx.put("upstream", route.upstreams().get(i).toString());
            proxies.get(i).handle(ctx);
        }
    }
}
