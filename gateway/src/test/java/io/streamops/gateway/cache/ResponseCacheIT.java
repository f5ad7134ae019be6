package io.streamops.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.streamops.common.Evidence;
import io.streamops.common.Mode;
import io.streamops.common.PolicyRef;
import io.streamops.decisions.CacheInvalidation;
import io.streamops.decisions.CacheTtl;
import io.streamops.decisions.CacheTtlAction;
import io.streamops.events.RequestEvent;
import io.streamops.gateway.Gateway;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.decision.Decisions;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.Topics;
import io.streamops.schemas.wait.Poll;
import io.streamops.schemas.workflow.Workflows;
import io.streamops.testkit.TestStack;
import io.streamops.testkit.TopicReader;
import io.streamops.workflows.cache.CacheWorkflow;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateways over the real broker and Redis, in front of an upstream that counts what it is
 * asked: one upstream call per key however many ask at once, the other gateway served from Redis,
 * an invalidation evicting both and Redis, a fill that raced an invalidation discarded, and what
 * must never be stored not stored.
 */
class ResponseCacheIT {

    private static final TestStack STACK = TestStack.shared();
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Instant COMMITTED = Instant.parse("2026-12-01T10:00:00Z");

    private static Vertx vertx;
    private static WebClient client;
    private static Gateway a;
    private static Gateway b;
    private static BoundTopic<String, CacheInvalidation> invalidations;
    private static KafkaProducer<String, CacheInvalidation> producer;
    private static BoundTopic<String, CacheTtl> ttlDecisions;
    private static KafkaProducer<String, CacheTtl> ttlProducer;
    private static BoundTopic<String, RequestEvent> requests;
    private static StatefulRedisConnection<String, String> redis;
    private static RedisClient redisClient;

    private static final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    private static final Map<String, Integer> versions = new ConcurrentHashMap<>();
    private static final Map<String, Promise<Void>> held = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        // A prefix of its own: Redis outlives the test broker, and its namespace follows the topic names.
        TopicNaming naming =
                new TopicNaming("cache-it-" + UUID.randomUUID().toString().substring(0, 8) + ".", Map.of());
        TopicBinder topics = TopicBinder.of(STACK.registry(), true, naming);
        STACK.createTopics(naming.resolveAll(Workflows.topics()));
        invalidations = topics.bind(CacheWorkflow.DECISIONS);
        producer = STACK.kafka()
                .producer(
                        "cache-it",
                        Map.of("acks", "all"),
                        invalidations.key().serializer(),
                        invalidations.value().serializer());
        ttlDecisions = topics.bind(CacheWorkflow.TTL_DECISIONS);
        ttlProducer = STACK.kafka()
                .producer(
                        "cache-it-ttl",
                        Map.of("acks", "all"),
                        ttlDecisions.key().serializer(),
                        ttlDecisions.value().serializer());
        requests = topics.bind(Topics.REQUESTS);
        vertx = Vertx.vertx();
        client = WebClient.create(vertx);
        HttpServer upstream = vertx.createHttpServer()
                .requestHandler(r -> {
                    String path = r.path();
                    asked.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                    String body = "v" + versions.getOrDefault(path, 1) + " of " + path;
                    Promise<Void> hold = held.get(path);
                    Future<Void> go = hold == null ? Future.succeededFuture() : hold.future();
                    go.onComplete(x -> {
                        if (path.startsWith("/api/cookie")) {
                            r.response().putHeader("Set-Cookie", "session=s1");
                        }
                        if (!path.startsWith("/api/plain")) {
                            r.response()
                                    .putHeader(
                                            "Cache-Control",
                                            path.startsWith("/api/private") ? "private, max-age=300" : "max-age=300");
                        }
                        r.response().end(body);
                    });
                })
                .listen(0, "127.0.0.1")
                .await();
        a = gateway("cache-a", naming, upstream.actualPort());
        b = gateway("cache-b", naming, upstream.actualPort());
        redisClient = RedisClient.create("redis://127.0.0.1:6379");
        redis = redisClient.connect();
    }

    private static Gateway gateway(String id, TopicNaming naming, int upstreamPort) {
        Settings settings = Settings.of(Map.of(
                "streamops.gateway.id", id,
                "streamops.gateway.port", "0",
                "streamops.gateway.route.api.prefix", "/api",
                "streamops.gateway.route.api.upstreams", "127.0.0.1:" + upstreamPort,
                "streamops.gateway.route.api.cache.ttl", "5m",
                "streamops.gateway.auth.enabled", "false",
                "streamops.gateway.ingest.enabled", "false"));
        return Gateway.start(settings, STACK.kafka(), STACK.registry(), naming);
    }

    @AfterAll
    static void stop() {
        redis.close();
        redisClient.shutdown();
        a.close();
        b.close();
        producer.close();
        ttlProducer.close();
        vertx.close().await();
    }

    @Test
    void concurrentMissesAskTheUpstreamOnceAndTheOtherGatewayIsServedFromRedis() {
        long redisHits = counter(b, "redisHits");
        List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(get(a, "/api/products/1"));
        }
        Future.all(answers).await();

        assertThat(answers).allSatisfy(r -> {
            assertThat(r.result().statusCode()).isEqualTo(200);
            assertThat(r.result().bodyAsString()).isEqualTo("v1 of /api/products/1");
        });
        assertThat(asked.get("/api/products/1")).hasValue(1);

        HttpResponse<Buffer> fromB = get(b, "/api/products/1").await();
        assertThat(fromB.bodyAsString()).isEqualTo("v1 of /api/products/1");
        assertThat(fromB.getHeader("Cache-Status")).startsWith("streamops; hit");
        assertThat(get(a, "/api/products/1").await().getHeader("Cache-Status")).startsWith("streamops; hit");
        assertThat(asked.get("/api/products/1")).hasValue(1);
        assertThat(counter(b, "redisHits")).isEqualTo(redisHits + 1);
    }

    @Test
    void anInvalidationEvictsEveryGatewayAndDeletesTheKeyFromRedis() {
        String path = "/api/products/2";
        get(a, path).await();
        assertThat(get(b, path).await().getHeader("Cache-Status")).startsWith("streamops; hit");
        // Under the decision topic's name and id.
        assertThat(redis.sync().keys("streamops-cache:" + invalidations.name() + ":*:" + path))
                .hasSize(1);

        versions.put(path, 2);
        invalidate(List.of(path), List.of());

        Poll.until(
                "both gateways to serve the new version",
                DEADLINE,
                () -> get(a, path).await().bodyAsString().equals("v2 of " + path)
                        && get(b, path).await().bodyAsString().equals("v2 of " + path));
        Poll.until(
                "the old copy gone from Redis, the new one there",
                DEADLINE,
                () -> counter(a, "redisKeysDeleted") + counter(b, "redisKeysDeleted") >= 1);
        assertThat(counter(a, "invalidationsApplied")).isPositive();
        assertThat(counter(b, "invalidationsApplied")).isPositive();
    }

    @Test
    void aPrefixInvalidationEvictsEveryListingUnderIt() {
        get(a, "/api/list?category=books&page=1").await();
        get(a, "/api/list?category=books&page=2").await();
        get(a, "/api/list?category=games").await();
        versions.put("/api/list", 2);

        invalidate(List.of(), List.of("/api/list?category=books"));

        Poll.until(
                "the books pages fetched anew",
                DEADLINE,
                () -> get(a, "/api/list?category=books&page=2")
                        .await()
                        .bodyAsString()
                        .startsWith("v2"));
        assertThat(get(a, "/api/list?category=books&page=1").await().bodyAsString())
                .startsWith("v2");
        assertThat(get(a, "/api/list?category=games").await().bodyAsString()).startsWith("v1");
    }

    @Test
    void aFillThatRacedAnInvalidationIsServedOnceAndNotStored() {
        String path = "/api/slow/1";
        Promise<Void> hold = Promise.promise();
        held.put(path, hold);
        Future<HttpResponse<Buffer>> first = get(a, path);
        Poll.until("the upstream to be asked", DEADLINE, () -> asked.containsKey(path));
        long applied = counter(a, "invalidationsApplied");
        long discarded = counter(a, "discardedFills");

        invalidate(List.of(path), List.of());
        Poll.until("the invalidation applied", DEADLINE, () -> counter(a, "invalidationsApplied") > applied);
        held.remove(path);
        hold.complete();

        assertThat(first.await().bodyAsString()).isEqualTo("v1 of " + path);
        assertThat(counter(a, "discardedFills")).isEqualTo(discarded + 1);
        get(a, path).await();
        assertThat(asked.get(path)).hasValue(2);
    }

    @Test
    void responsesThatMustNotBeSharedAreNeverStored() {
        get(a, "/api/cookie/1").await();
        get(a, "/api/cookie/1").await();
        get(a, "/api/private/1").await();
        get(a, "/api/private/1").await();
        client.get(a.port(), "127.0.0.1", "/api/products/9")
                .putHeader("Cache-Control", "no-store")
                .send()
                .await();
        get(a, "/api/products/9").await();

        assertThat(asked.get("/api/cookie/1")).hasValue(2);
        assertThat(asked.get("/api/private/1")).hasValue(2);
        assertThat(asked.get("/api/products/9")).hasValue(2);
    }

    @Test
    void theRoutesLatestEnforcedTtlDecisionIsItsTtlAndAShadowOnePutsTheConfiguredOneBack() {
        AtomicInteger key = new AtomicInteger();
        assertThat(ttlLeft(a, "/api/plain/" + key.incrementAndGet())).isBetween(290L, 300L);

        decideTtl(Mode.ENFORCE, Duration.ofMinutes(20));
        Poll.until(
                "both gateways to cache the route for 20 minutes",
                DEADLINE,
                () -> ttlLeft(a, "/api/plain/" + key.incrementAndGet()) > 1_100
                        && ttlLeft(b, "/api/plain/" + key.incrementAndGet()) > 1_100);

        decideTtl(Mode.SHADOW, Duration.ofMinutes(40));
        Poll.until(
                "both gateways back on the configured 5 minutes",
                DEADLINE,
                () -> ttlLeft(a, "/api/plain/" + key.incrementAndGet()) <= 300
                        && ttlLeft(b, "/api/plain/" + key.incrementAndGet()) <= 300);

        // What the cache-ttl operator reads: each lookup's request event names the TTL it was under.
        try (TopicReader<String, RequestEvent> reader = new TopicReader<>(
                STACK.kafka(),
                requests.name(),
                requests.key().deserializer(),
                requests.value().deserializer())) {
            List<RequestEvent> lookups = reader
                    .readUntil(
                            DEADLINE,
                            all -> all.stream()
                                    .anyMatch(r -> r.value().getPath().equals("/api/plain/1")
                                            && r.value().getCacheStatus() == io.streamops.events.CacheStatus.HIT))
                    .stream()
                    .map(r -> r.value())
                    .filter(r -> r.getPath().equals("/api/plain/1"))
                    .toList();
            assertThat(lookups)
                    .isNotEmpty()
                    .allSatisfy(
                            r -> assertThat(r.getAttributes()).containsEntry(CacheWorkflow.TTL_ATTRIBUTE, "300000"));
        }
    }

    /** The seconds a freshly filled entry of {@code path} has left, as its first hit's Cache-Status says. */
    private static long ttlLeft(Gateway gateway, String path) {
        get(gateway, path).await();
        String status = get(gateway, path).await().getHeader("Cache-Status");
        assertThat(status).startsWith("streamops; hit; ttl=");
        return Long.parseLong(status.substring("streamops; hit; ttl=".length()));
    }

    private static void decideTtl(Mode mode, Duration proposed) {
        Instant now = COMMITTED;
        CacheTtl decision = CacheTtl.newBuilder()
                .setEnvelope(Decisions.envelope(
                        CacheWorkflow.TTL_OPERATOR,
                        new PolicyRef("hit-rate-ttl", 1),
                        mode,
                        now,
                        now,
                        Decisions.evidence("test").build(),
                        UUID.randomUUID().toString()))
                .setRoute("api")
                .setAction(CacheTtlAction.LENGTHEN)
                .setCurrentTtlMillis(Duration.ofMinutes(5).toMillis())
                .setProposedTtlMillis(proposed.toMillis())
                .setHitRate(0.5)
                .setProjectedHitRate(0.9)
                .setSetting("streamops.gateway.route.api.cache.ttl=" + proposed.toMinutes() + "m")
                .build();
        try {
            ttlProducer
                    .send(new ProducerRecord<>(ttlDecisions.name(), "api", decision))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void invalidate(List<String> keys, List<String> prefixes) {
        Instant now = COMMITTED;
        Evidence evidence = Decisions.evidence("test").build();
        CacheInvalidation decision = CacheInvalidation.newBuilder()
                .setEnvelope(Decisions.envelope(
                        CacheWorkflow.OPERATOR,
                        new PolicyRef("cache-rules", 1),
                        Mode.ENFORCE,
                        now,
                        now,
                        evidence,
                        UUID.randomUUID().toString()))
                .setKeys(new ArrayList<>(keys))
                .setPrefixes(new ArrayList<>(prefixes))
                .setSourceTable("public.products")
                .setCommittedAt(now)
                .build();
        try {
            producer.send(new ProducerRecord<>(invalidations.name(), "public.products", decision))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Future<HttpResponse<Buffer>> get(Gateway gateway, String uri) {
        return client.get(gateway.port(), "127.0.0.1", uri).send();
    }

    private static long counter(Gateway gateway, String name) {
        JsonObject health = get(gateway, "/health").await().bodyAsJsonObject();
        return health.getJsonObject("filters").getJsonObject("cache").getLong(name);
    }
}
