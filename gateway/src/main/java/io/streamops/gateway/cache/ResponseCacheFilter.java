package io.streamops.gateway.cache;

import io.streamops.events.CacheStatus;
import io.streamops.gateway.RequestContext;
import io.streamops.gateway.Route;
import io.streamops.gateway.filter.GatewayFilter;
import io.streamops.gateway.filter.Verdict;
import io.streamops.workflows.cache.CacheWorkflow;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Workflow 2 in the request path: the GET and HEAD responses of cacheable routes, from this
 * gateway's near-cache, else the shared Redis tier, else the upstream, one upstream call per key and
 * principal at a time (requests for a key being fetched wait for that fetch). A response is stored
 * only when {@link CachePolicy} allows it and only when it is as new as every invalidation applied
 * here ({@link Freshness}): a fill that raced an invalidation is discarded, and a Redis copy older
 * than one is refused.
 */
public final class ResponseCacheFilter implements GatewayFilter {

    static final String CACHE_STATUS = "Cache-Status";
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofSeconds(30);

    private final RouteTtls ttls;
    private final NearCache near;
    private final Optional<RedisTier> redis;
    private final Freshness freshness;
    private final HttpClient upstreams;
    private final int maxEntryBytes;
    private final Clock clock;
    private final Supplier<Map<String, Long>> invalidationCounters;
    private final Map<String, CompletableFuture<Fetched>> inflight = new ConcurrentHashMap<>();
    private final AtomicLong roundRobin = new AtomicLong();

    private final AtomicLong nearHits = new AtomicLong();
    private final AtomicLong redisHits = new AtomicLong();
    private final AtomicLong collapsed = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong bypassed = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong notStored = new AtomicLong();
    private final AtomicLong discardedFills = new AtomicLong();
    private final AtomicLong staleRefused = new AtomicLong();
    private final AtomicLong redisErrors = new AtomicLong();

    ResponseCacheFilter(
            RouteTtls ttls,
            NearCache near,
            Optional<RedisTier> redis,
            Freshness freshness,
            HttpClient upstreams,
            int maxEntryBytes,
            Clock clock,
            Supplier<Map<String, Long>> invalidationCounters) {
        this.ttls = ttls;
        this.invalidationCounters = invalidationCounters;
        this.near = near;
        this.redis = redis;
        this.freshness = freshness;
        this.upstreams = upstreams;
        this.maxEntryBytes = maxEntryBytes;
        this.clock = clock;
    }

    /** An upstream's answer to a fill, shared by the requests that waited for it. */
    private record Fetched(
            int status,
            List<Map.Entry<String, String>> headers,
            Buffer body,
            String variant,
            List<String> vary,
            boolean stored) {}

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public int order() {
        return 300;
    }

    @Override
    public Verdict onRequest(RequestContext request) {
        Route route = request.route();
        Duration ttl = route == null ? null : ttls.of(route.name());
        if (ttl == null) {
            return Verdict.PROCEED;
        }
        CachePolicy.Lookup lookup = CachePolicy.lookup(request.method(), request::header);
        if (lookup == CachePolicy.Lookup.BYPASS) {
            bypassed.incrementAndGet();
            request.cacheStatus(CacheStatus.BYPASS);
            request.addResponseHeader(CACHE_STATUS, "streamops; fwd=bypass");
            return Verdict.PROCEED;
        }
        // For the cache-ttl operator: a lookup, under this TTL.
        request.attribute(CacheWorkflow.TTL_ATTRIBUTE, Long.toString(ttl.toMillis()));
        String key = key(request);
        String principal = request.principal();
        Function<String, String> header = request::header;
        if (lookup == CachePolicy.Lookup.USE) {
            CachedResponse hit = near.find(key, principal, header);
            if (hit != null) {
                nearHits.incrementAndGet();
                request.cacheStatus(CacheStatus.HIT);
                return serve(hit, "hit");
            }
        }
        Context context = Vertx.currentContext();
        Promise<Verdict> verdict = Promise.promise();
        if (lookup == CachePolicy.Lookup.REFRESH) {
            fetchAndStore(request, route, ttl, key, new CompletableFuture<>(), "streamops; fwd=request", verdict);
            return new Verdict.Later(verdict.future());
        }
        // One load per key and principal at a time, Redis included: the requests that come meanwhile wait for it.
        String flight = key + '\n' + (principal == null ? "" : principal);
        CompletableFuture<Fetched> mine = new CompletableFuture<>();
        CompletableFuture<Fetched> shared = inflight.putIfAbsent(flight, mine);
        if (shared != null) {
            follow(request, shared, context, verdict);
            return new Verdict.Later(verdict.future());
        }
        mine.whenComplete((done, error) -> inflight.remove(flight, mine));
        if (redis.isEmpty()) {
            fetchAndStore(request, route, ttl, key, mine, "streamops; fwd=miss", verdict);
            return new Verdict.Later(verdict.future());
        }
        redis.get()
                .variants(key)
                .whenComplete((variants, error) -> context.runOnContext(v -> {
                    if (error != null) {
                        redisErrors.incrementAndGet();
                    }
                    CachedResponse found = error == null ? fromRedis(key, principal, header, variants) : null;
                    if (found == null) {
                        fetchAndStore(request, route, ttl, key, mine, "streamops; fwd=miss", verdict);
                        return;
                    }
                    redisHits.incrementAndGet();
                    request.cacheStatus(CacheStatus.HIT);
                    mine.complete(new Fetched(
                            found.status(),
                            found.headers(),
                            Buffer.buffer(found.body()),
                            found.variant(),
                            found.vary(),
                            true));
                    verdict.complete(serve(found, "hit"));
                }));
        return new Verdict.Later(verdict.future());
    }

    /** The key of a request: its path and query string, as sent. */
    static String key(RequestContext request) {
        String query = request.request().query();
        return query == null || query.isEmpty() ? request.path() : request.path() + "?" + query;
    }

    private CachedResponse fromRedis(
            String key, String principal, Function<String, String> header, List<CachedResponse> variants) {
        long now = clock.millis();
        for (CachedResponse entry : variants) {
            if (entry.expiredAt(now) || !entry.variant().equals(NearCache.variant(principal, entry.vary(), header))) {
                continue;
            }
            if (!freshness.fresh(key, entry.basis())) {
                staleRefused.incrementAndGet();
                return null;
            }
            near.put(key, entry);
            if (!freshness.fresh(key, entry.basis())) {
                near.remove(key, entry);
                staleRefused.incrementAndGet();
                return null;
            }
            return entry;
        }
        return null;
    }

    /** A request that came while its key was loading: it is answered with what the load got, when that is its variant. */
    private void follow(
            RequestContext request, CompletableFuture<Fetched> load, Context context, Promise<Verdict> verdict) {
        String principal = request.principal();
        load.whenComplete((fetched, error) -> context.runOnContext(v -> {
            // Only what could be stored is shared: a response with Set-Cookie, or private, is its requester's alone.
            if (error == null
                    && fetched.stored()
                    && fetched.variant().equals(NearCache.variant(principal, fetched.vary(), request::header))) {
                collapsed.incrementAndGet();
                request.cacheStatus(CacheStatus.HIT);
                verdict.complete(new Verdict.Serve(
                        fetched.status(), with(fetched.headers(), "streamops; fwd=miss; collapsed"), fetched.body()));
            } else {
                // Not stored, another variant (its Vary differs), or the load failed: this one goes upstream itself.
                request.cacheStatus(CacheStatus.MISS);
                verdict.complete(Verdict.PROCEED);
            }
        }));
    }

    /** Asks the upstream, stores what may be stored, and answers the request and those waiting on {@code load}. */
    private void fetchAndStore(
            RequestContext request,
            Route route,
            Duration ttl,
            String key,
            CompletableFuture<Fetched> load,
            String status,
            Promise<Verdict> verdict) {
        misses.incrementAndGet();
        request.cacheStatus(CacheStatus.MISS);
        String principal = request.principal();
        long basis = freshness.basis();
        fetch(request, route).onComplete(done -> {
            if (done.failed()) {
                load.completeExceptionally(done.cause());
                verdict.complete(Verdict.PROCEED);
                return;
            }
            Fetched fetched = store(key, ttl, basis, principal, request, done.result());
            load.complete(fetched);
            verdict.complete(new Verdict.Serve(
                    fetched.status(),
                    with(fetched.headers(), fetched.stored() ? status + "; stored" : status),
                    fetched.body()));
        });
    }

    private Future<Fetched> fetch(RequestContext request, Route route) {
        List<Route.Upstream> servers = route.upstreams();
        Route.Upstream upstream = servers.get((int) (roundRobin.getAndIncrement() % servers.size()));
        request.upstream(upstream.toString());
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setURI(request.request().uri())
                .setIdleTimeout(UPSTREAM_TIMEOUT.toMillis());
        request.request().headers().forEach(h -> {
            if (!CachePolicy.HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                options.addHeader(h.getKey(), h.getValue());
            }
        });
        return upstreams
                .request(options)
                .compose(out -> out.send()
                        .compose(in -> in.body().map(body -> {
                            List<Map.Entry<String, String>> headers = new ArrayList<>();
                            in.headers().forEach(h -> {
                                if (!CachePolicy.HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                                    headers.add(Map.entry(h.getKey(), h.getValue()));
                                }
                            });
                            return new Fetched(in.statusCode(), headers, body, "", List.of(), false);
                        })));
    }

    /** Stores what the upstream answered, when it may be stored and no invalidation overtook the fill. */
    private Fetched store(
            String key, Duration ttl, long basis, String principal, RequestContext request, Fetched fetched) {
        CachePolicy.Storable storable = CachePolicy.storable(
                fetched.status(), fetched.headers(), ttl, fetched.body().length(), maxEntryBytes);
        String variant = NearCache.variant(principal, storable.vary(), request::header);
        Fetched answered =
                new Fetched(fetched.status(), fetched.headers(), fetched.body(), variant, storable.vary(), false);
        if (storable.ttl().isEmpty() || (storable.perPrincipalOnly() && principal == null)) {
            notStored.incrementAndGet();
            return answered;
        }
        long now = clock.millis();
        CachedResponse entry = new CachedResponse(
                fetched.status(),
                fetched.headers(),
                fetched.body().getBytes(),
                variant,
                storable.vary(),
                basis,
                now,
                now + storable.ttl().get().toMillis());
        if (!freshness.fresh(key, basis)) {
            discardedFills.incrementAndGet();
            return answered;
        }
        near.put(key, entry);
        if (!freshness.fresh(key, basis)) {
            near.remove(key, entry);
            discardedFills.incrementAndGet();
            return answered;
        }
        stored.incrementAndGet();
        redis.ifPresent(tier -> tier.put(key, entry, now).whenComplete((ok, error) -> {
            if (error != null) {
                redisErrors.incrementAndGet();
            }
        }));
        return new Fetched(fetched.status(), fetched.headers(), fetched.body(), variant, storable.vary(), true);
    }

    private Verdict serve(CachedResponse entry, String status) {
        long age = Math.max(0, (clock.millis() - entry.storedAtMillis()) / 1000);
        long left = Math.max(0, (entry.expiresAtMillis() - clock.millis()) / 1000);
        List<Map.Entry<String, String>> headers = with(entry.headers(), "streamops; " + status + "; ttl=" + left);
        headers.add(Map.entry("Age", Long.toString(age)));
        return new Verdict.Serve(entry.status(), headers, Buffer.buffer(entry.body()));
    }

    private static List<Map.Entry<String, String>> with(List<Map.Entry<String, String>> headers, String cacheStatus) {
        List<Map.Entry<String, String>> result = new ArrayList<>(headers.size() + 2);
        for (Map.Entry<String, String> h : headers) {
            if (!h.getKey().equalsIgnoreCase("Age") && !h.getKey().equalsIgnoreCase(CACHE_STATUS)) {
                result.add(h);
            }
        }
        result.add(Map.entry(CACHE_STATUS, cacheStatus));
        return result;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new java.util.TreeMap<>();
        counters.put("nearHits", nearHits.get());
        counters.put("redisHits", redisHits.get());
        counters.put("collapsed", collapsed.get());
        counters.put("misses", misses.get());
        counters.put("bypassed", bypassed.get());
        counters.put("stored", stored.get());
        counters.put("notStored", notStored.get());
        counters.put("discardedFills", discardedFills.get());
        counters.put("staleRefused", staleRefused.get());
        counters.put("redisErrors", redisErrors.get());
        counters.put("nearKeys", near.size());
        counters.putAll(invalidationCounters.get());
        return counters;
    }
}
