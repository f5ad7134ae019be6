package io.streamops.workflows.cache;

import com.google.auto.service.AutoService;
import io.streamops.common.DeadLetter;
import io.streamops.common.Mode;
import io.streamops.decisions.CacheInvalidation;
import io.streamops.decisions.CacheTtl;
import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.config.ConfigKey;
import io.streamops.schemas.topics.CleanupPolicy;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.Topics;
import io.streamops.schemas.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Workflow 2, cache invalidation: gateways cache the responses of routes marked cacheable (a
 * near-cache per instance in front of a shared Redis tier); the cache-invalidation operator turns
 * each committed row change on {@code db-changes} into the cache keys it makes stale, by the rules
 * file; every gateway evicts them at once and refuses older copies, and the Redis actuator deletes
 * them there. The cache-ttl operator tracks each cacheable route's hit rate from the request events
 * and proposes a longer TTL where expiries cost hits; gateways apply its ENFORCE proposals.
 */
@AutoService(Workflow.class)
public final class CacheWorkflow implements Workflow {

    public static final String NAME = "cache";
    public static final String OPERATOR = "cache-invalidation";
    public static final String TTL_OPERATOR = "cache-ttl";
    /** The request-event attribute in which a gateway records the TTL it applied to a cacheable route, in milliseconds. */
    public static final String TTL_ATTRIBUTE = "cache.ttl";

    static final String PREFIX = "streamops.cache.";

    /** One partition: an invalidation's offset orders it against every fill (see the gateway's freshness check). */
    public static final Topic<String, CacheInvalidation> DECISIONS = Topics.decisions(
                    "cache-invalidations",
                    CacheInvalidation.class,
                    CleanupPolicy.DELETE,
                    "Workflow 2: cache keys and prefixes a committed row change made stale, keyed by table")
            .withPartitions(1);

    public static final Topic<String, DeadLetter> DEAD_LETTERS = Topics.deadLetters(OPERATOR);

    public static final Topic<String, CacheTtl> TTL_DECISIONS = Topics.decisions(
            "cache-ttl",
            CacheTtl.class,
            CleanupPolicy.DELETE,
            "Workflow 2: each cacheable route's hit rate per window and the TTL proposed for it, keyed by route");

    public static final Topic<String, DeadLetter> TTL_DEAD_LETTERS = Topics.deadLetters(TTL_OPERATOR);

    public static final ConfigKey<Duration> ROUTE_TTL = ConfigKey.duration(
                    "streamops.gateway.route.<name>.cache.ttl",
                    null,
                    "marks a route cacheable: its GET and HEAD responses are cached for at most this long (less when "
                            + "the upstream's Cache-Control says so); row changes evict them sooner")
            .check(d -> !d.isNegative() && !d.isZero(), "must be positive");
    public static final ConfigKey<String> RULES_FILE = ConfigKey.string(
            PREFIX + "rules.file",
            null,
            "the rules YAML: which cache keys and prefixes a change of each table makes stale (read by the operator at start)");
    public static final ConfigKey<Integer> NEAR_ENTRIES = ConfigKey.integer(
                    PREFIX + "near.entries",
                    10_000,
                    "responses each gateway keeps in memory (its near-cache), least recently and frequently used out first")
            .check(n -> n >= 1, "must be at least 1");
    public static final ConfigKey<Integer> MAX_ENTRY_BYTES = ConfigKey.integer(
                    PREFIX + "entry.max.bytes", 1 << 20, "a response body larger than this is served but not cached")
            .check(n -> n >= 1, "must be at least 1");
    public static final ConfigKey<String> REDIS_URI = ConfigKey.string(
            PREFIX + "redis.uri",
            "redis://127.0.0.1:6379",
            "the shared tier behind every near-cache (a Redis URI, as Lettuce reads it); empty: near-caches only");
    public static final ConfigKey<Duration> REDIS_TIMEOUT = ConfigKey.duration(
                    PREFIX + "redis.timeout",
                    Duration.ofMillis(50),
                    "a Redis read slower than this counts as a miss (the request goes upstream); writes are not waited for")
            .check(d -> !d.isNegative() && !d.isZero(), "must be positive");
    public static final ConfigKey<Duration> COMMIT_INTERVAL = ConfigKey.duration(
                    PREFIX + "commit.interval",
                    Duration.ofMillis(20),
                    "the cache-invalidation operator's commit interval: under exactly-once an invalidation reaches "
                            + "the gateways when its transaction commits")
            .check(d -> !d.isNegative() && !d.isZero(), "must be positive");

    public static final ConfigKey<Mode> TTL_MODE = ConfigKey.enumValue(
            PREFIX + "ttl.mode",
            Mode.class,
            Mode.SHADOW,
            "SHADOW: the cache-ttl operator's proposals are recorded with their evidence and not applied; ENFORCE: "
                    + "gateways use the latest proposed TTL of each route in place of its configured one");
    public static final ConfigKey<Double> TTL_TARGET = ConfigKey.decimal(
                    PREFIX + "ttl.target",
                    0.95,
                    "the hit rate under which the cache-ttl operator looks for a longer TTL for a route")
            .check(r -> r > 0 && r <= 1, "must be in (0, 1]");
    public static final ConfigKey<Duration> TTL_WINDOW = ConfigKey.duration(
                    PREFIX + "ttl.window",
                    Duration.ofMinutes(5),
                    "the event-time window over which the cache-ttl operator judges each route's hit rate (one "
                            + "decision per route and window)")
            .check(d -> d.toMillis() >= 1000, "must be at least 1s");
    public static final ConfigKey<Integer> TTL_MIN_LOOKUPS = ConfigKey.integer(
                    PREFIX + "ttl.min.lookups",
                    100,
                    "the fewest lookups of a route in a window for the cache-ttl operator to judge it")
            .check(n -> n >= 1, "must be at least 1");
    public static final ConfigKey<Duration> TTL_MAX = ConfigKey.duration(
                    PREFIX + "ttl.max",
                    Duration.ofHours(1),
                    "the longest TTL the cache-ttl operator proposes and a gateway applies; also how long the operator "
                            + "remembers a key's fill")
            .check(d -> d.toMillis() >= 1000, "must be at least 1s");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "Workflow 2: cache invalidation";
    }

    @Override
    public String decides() {
        return "the cache keys and prefixes a committed row change makes stale, from the before and after images";
    }

    @Override
    public List<Topic<?, ?>> topics() {
        return List.of(DECISIONS, DEAD_LETTERS, CaptureKeys.DEAD_LETTERS, TTL_DECISIONS, TTL_DEAD_LETTERS);
    }

    @Override
    public ConfigGroup config() {
        List<ConfigKey<?>> keys = new java.util.ArrayList<>(List.of(
                ROUTE_TTL,
                RULES_FILE,
                NEAR_ENTRIES,
                MAX_ENTRY_BYTES,
                REDIS_URI,
                REDIS_TIMEOUT,
                COMMIT_INTERVAL,
                TTL_MODE,
                TTL_TARGET,
                TTL_WINDOW,
                TTL_MIN_LOOKUPS,
                TTL_MAX));
        keys.addAll(CaptureKeys.group().keys());
        return new ConfigGroup("Cache invalidation (workflow 2)", PREFIX, keys);
    }

    @Override
    public List<Operator> operators() {
        return List.of(
                new Operator(
                        OPERATOR,
                        Engine.KAFKA_STREAMS,
                        List.of(Topics.DB_CHANGES),
                        List.of(DECISIONS, DEAD_LETTERS),
                        Optional.of(DEAD_LETTERS),
                        List.of()),
                new Operator(
                        TTL_OPERATOR,
                        Engine.KAFKA_STREAMS,
                        List.of(Topics.REQUESTS, DECISIONS),
                        List.of(TTL_DECISIONS, TTL_DEAD_LETTERS),
                        Optional.of(TTL_DEAD_LETTERS),
                        List.of(
                                new StateBound(
                                        "cache-ttl-fills",
                                        "keys of cacheable routes filled within " + TTL_MAX.name()
                                                + "; a stream-time sweep drops older ones"),
                                new StateBound(
                                        "cache-ttl-routes",
                                        "one open window per cacheable route; a route idle for " + TTL_MAX.name()
                                                + " is dropped"))));
    }

    @Override
    public List<Applier> appliers() {
        return List.of(
                new Applier("cache", Where.GATEWAY, DECISIONS, Optional.empty()),
                new Applier("cache", Where.GATEWAY, TTL_DECISIONS, Optional.empty()));
    }
}
