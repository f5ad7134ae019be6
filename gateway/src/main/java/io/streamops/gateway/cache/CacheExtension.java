package io.streamops.gateway.cache;

import com.google.auto.service.AutoService;
import io.streamops.gateway.Route;
import io.streamops.gateway.extension.GatewayContext;
import io.streamops.gateway.extension.GatewayExtension;
import io.streamops.gateway.extension.Installed;
import io.streamops.workflows.cache.CacheWorkflow;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workflow 2 in the gateway: the response cache on the routes marked cacheable, the invalidations it
 * applies, and the TTLs the cache-ttl operator decides in ENFORCE mode.
 */
@AutoService(GatewayExtension.class)
public final class CacheExtension implements GatewayExtension {

    private static final Logger LOG = LoggerFactory.getLogger(CacheExtension.class);

    /** How long a gateway that stopped beating is still taken to be the one deleting from Redis. */
    private static final Duration MEMBER_TIMEOUT = Duration.ofSeconds(6);

    @Override
    public String name() {
        return CacheWorkflow.NAME;
    }

    @Override
    public Set<String> implementsParts() {
        return Set.of("cache");
    }

    @Override
    public Installed install(GatewayContext context) {
        Map<String, Duration> ttls = new HashMap<>();
        for (Route route : context.config().routes()) {
            Duration ttl = context.settings().get(CacheWorkflow.ROUTE_TTL, route.name());
            if (ttl != null) {
                ttls.put(route.name(), ttl);
            }
        }
        if (ttls.isEmpty()) {
            return Installed.nothing();
        }
        RouteTtls routeTtls = new RouteTtls(
                ttls,
                context.views().view(CacheWorkflow.TTL_DECISIONS, d -> null),
                context.settings().get(CacheWorkflow.TTL_MAX));
        NearCache near = new NearCache(context.settings().get(CacheWorkflow.NEAR_ENTRIES), context.clock());
        var decisions = context.topics().bind(CacheWorkflow.DECISIONS);
        // Copies in Redis are judged by offsets of this very topic: a topic created anew (its id
        // changes) must not meet the copies of the one before it.
        Optional<RedisTier> redis =
                redis(context, "streamops-cache:" + decisions.name() + ":" + topicId(context, decisions.name()) + ":");
        InvalidationView view = context.closeOnStop(new InvalidationView(
                context.kafka(),
                decisions,
                context.config().gatewayId(),
                near,
                redis.orElse(null),
                () -> context.membership().first(MEMBER_TIMEOUT),
                routeTtls.longest(),
                context.clock()));
        context.every(10_000, () -> view.freshness().trim(context.clock().millis()));
        var upstreams = context.vertx()
                .createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
        context.closeOnStop(() -> upstreams.close().await());
        LOG.info(
                "Caching routes {} (near-cache {} keys, Redis {})",
                ttls,
                context.settings().get(CacheWorkflow.NEAR_ENTRIES),
                redis.isPresent() ? "on" : "off");
        return Installed.filter(new ResponseCacheFilter(
                routeTtls,
                near,
                redis,
                view.freshness(),
                upstreams,
                context.settings().get(CacheWorkflow.MAX_ENTRY_BYTES),
                context.clock(),
                view::counters));
    }

    private static String topicId(GatewayContext context, String topic) {
        try (Admin admin = context.kafka().admin("streamops-" + context.config().gatewayId() + "-cache-topic")) {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic)
                    .topicId()
                    .toString();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The shared tier; without it (no URI, or Redis unreachable at start) each gateway caches on its own. */
    private static Optional<RedisTier> redis(GatewayContext context, String namespace) {
        String uri = context.settings().get(CacheWorkflow.REDIS_URI);
        if (uri == null || uri.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(context.closeOnStop(
                    new RedisTier(uri, namespace, context.settings().get(CacheWorkflow.REDIS_TIMEOUT))));
        } catch (RuntimeException e) {
            LOG.warn("Redis at {} unreachable ({}): near-caches only until this gateway restarts", uri, e.toString());
            return Optional.empty();
        }
    }
}
