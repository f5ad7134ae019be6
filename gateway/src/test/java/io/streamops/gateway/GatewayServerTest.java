package io.streamops.gateway;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.events.DbChange;
import io.streamops.events.DbOp;
import io.streamops.events.LogEvent;
import io.streamops.events.LogLevel;
import io.streamops.events.RequestEvent;
import io.streamops.gateway.filter.GatewayFilter;
import io.streamops.gateway.filter.Verdict;
import io.streamops.gateway.ingest.IngestHandler;
import io.streamops.gateway.tracing.Tracing;
import io.streamops.schemas.serde.KafkaAvroSerde;
import io.streamops.schemas.testing.InMemorySchemaRegistry;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.wait.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GatewayServerTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private Vertx vertx;
    private HttpServer upstreamA;
    private HttpServer upstreamB;
    private MockProducer<String, RequestEvent> producer;
    private MockProducer<String, byte[]> ingested;
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private RequestEventPublisher events;
    private GatewayServer gateway;
    private WebClient client;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        upstreamA = upstream("a");
        upstreamB = upstream("b");
        Serializer<RequestEvent> unused = (topic, event) -> new byte[0];
        producer = new MockProducer<>(true, null, new StringSerializer(), unused);
        events = new RequestEventPublisher(producer, "requests", 100);
        GatewayConfig config = new GatewayConfig(
                "gw-test",
                "127.0.0.1",
                0,
                List.of(
                        new Route(
                                "api",
                                "/api",
                                List.of(
                                        new Route.Upstream("127.0.0.1", upstreamA.actualPort()),
                                        new Route.Upstream("127.0.0.1", upstreamB.actualPort()))),
                        new Route("down", "/down", List.of(new Route.Upstream("127.0.0.1", 1)))),
                false,
                100,
                true);
        ingested = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        gateway = new GatewayServer(
                vertx,
                config,
                events,
                Clock.fixed(BEGINNING, ZoneOffset.UTC),
                List.of(),
                List.of(),
                Optional.of(new IngestHandler(vertx, registry, ingested, TopicNaming.DECLARED)),
                new Tracing(Optional.empty()),
                Map.of());
        gateway.start().await();
        client = WebClient.create(vertx);
    }

    @AfterEach
    void tearDown() {
        events.close();
        gateway.close();
        vertx.close().await();
    }

    @Test
    void proxiesToTheRoutesUpstreamsRoundRobin() {
        assertThat(get("/api/items").bodyAsString()).isEqualTo("a:/api/items");
        assertThat(get("/api/items").bodyAsString()).isEqualTo("b:/api/items");
        assertThat(get("/api").bodyAsString()).isEqualTo("a:/api");
    }

    @Test
    void emitsARequestEventForEveryAnsweredRequest() {
        HttpResponse<Buffer> response = client.get(gateway.port(), "127.0.0.1", "/api/items?q=1")
                .putHeader("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01")
                .putHeader("User-Agent", "unit")
                .send()
                .await();
        assertThat(response.statusCode()).isEqualTo(200);

        RequestEvent event = awaitEvents(1).get(0);
        assertThat(event.getRoute()).isEqualTo("api");
        assertThat(event.getPath()).isEqualTo("/api/items");
        assertThat(event.getMethod()).isEqualTo("GET");
        assertThat(event.getStatus()).isEqualTo(200);
        assertThat(event.getOccurredAt()).isEqualTo(BEGINNING);
        assertThat(event.getGatewayId()).isEqualTo("gw-test");
        assertThat(event.getClientAddress()).isEqualTo("127.0.0.1");
        assertThat(event.getUpstream()).isEqualTo("127.0.0.1:" + upstreamA.actualPort());
        assertThat(event.getTraceId()).isEqualTo(TRACE);
        assertThat(event.getUserAgent()).isEqualTo("unit");
        assertThat(event.getBytesOut()).isEqualTo("a:/api/items".length());
        assertThat(event.getLatencyMicros()).isPositive();
        assertThat(producer.history().get(0).key()).isEqualTo("ip:127.0.0.1");
    }

    @Test
    void anUnroutedPathGets404WithAReasonAndIsStillRecorded() {
        HttpResponse<Buffer> response = get("/nowhere");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("no_route");
        assertThat(response.bodyAsJsonObject().getString("message")).contains("/nowhere");
        assertThat(awaitEvents(1).get(0).getRoute()).isEqualTo("unmatched");
    }

    @Test
    void aPathThatIsNotCanonicalIsRefusedBeforeRouting() {
        HttpResponse<Buffer> dotted = get("/nowhere/../api/items");
        HttpResponse<Buffer> escaped = get("/%61pi/items");

        assertThat(dotted.statusCode()).isEqualTo(400);
        assertThat(dotted.bodyAsJsonObject().getString("error")).isEqualTo("non_canonical_path");
        assertThat(escaped.statusCode()).isEqualTo(400);
    }

    @Test
    void anUnreachableUpstreamGets502() {
        assertThat(get("/down/x").statusCode()).isEqualTo(502);
        assertThat(awaitEvents(1).get(0).getStatus()).isEqualTo(502);
    }

    @Test
    void healthReportsTheEventCounters() {
        get("/api/x");
        awaitEvents(1);

        var health = get("/health").bodyAsJsonObject();
        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getJsonObject("requestEvents").getLong("published")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void continuesTheCallersTraceAndPassesItUpstream() {
        String parentSpan = "00f067aa0ba902b7";
        HttpResponse<Buffer> response = client.get(gateway.port(), "127.0.0.1", "/api/trace")
                .putHeader("traceparent", "00-" + TRACE + "-" + parentSpan + "-01")
                .send()
                .await();

        String upstreamSaw = response.getHeader("X-Upstream-Traceparent");
        assertThat(upstreamSaw).startsWith("00-" + TRACE + "-").doesNotContain(parentSpan);
        assertThat(awaitEvents(1).get(0).getTraceId()).isEqualTo(TRACE);
    }

    @Test
    void startsATraceWhenTheCallerSendsNoneOrABrokenOne() {
        HttpResponse<Buffer> response = client.get(gateway.port(), "127.0.0.1", "/api/trace")
                .putHeader("traceparent", "00-xyz-00f067aa0ba902b7-01")
                .send()
                .await();

        String traceId = awaitEvents(1).get(0).getTraceId();
        assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("00000000000000000000000000000000");
        assertThat(response.getHeader("X-Upstream-Traceparent")).startsWith("00-" + traceId + "-");
    }

    @Test
    void ingestsJsonEventsCheckedAgainstTheTopicsSchema() {
        JsonObject log = new JsonObject()
                .put("eventId", "l-1")
                .put("occurredAt", "2026-01-05T09:00:00Z")
                .put("service", "checkout")
                .put("instance", "checkout-1")
                .put("level", "ERROR")
                .put("logger", null)
                .put("message", "boom")
                .put("traceId", null);

        HttpResponse<Buffer> ok = client.post(gateway.port(), "127.0.0.1", "/ingest/logs?key=checkout")
                .sendJsonObject(log)
                .await();

        assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(200);
        assertThat(ok.bodyAsJsonObject().getJsonArray("written")).hasSize(1);
        var record = ingested.history().get(0);
        assertThat(record.key()).isEqualTo("checkout");
        LogEvent decoded = new KafkaAvroSerde<>(registry, LogEvent.class, false, false)
                .deserializer()
                .deserialize("logs", record.value());
        assertThat(decoded.getOccurredAt()).isEqualTo(BEGINNING);
        assertThat(decoded.getLevel()).isEqualTo(LogLevel.ERROR);
        assertThat(decoded.getAttributes()).isEmpty();
    }

    @Test
    void ingestsDebeziumChangeEventsAsDebeziumServersHttpSinkPostsThem() {
        JsonObject update = new JsonObject()
                .put("schema", new JsonObject().put("type", "struct"))
                .put(
                        "payload",
                        new JsonObject()
                                .put("before", new JsonObject().put("id", 42).put("category", "books"))
                                .put("after", new JsonObject().put("id", 42).put("category", "games"))
                                .put(
                                        "source",
                                        new JsonObject()
                                                .put("connector", "postgresql")
                                                .put("db", "shop")
                                                .put("schema", "public")
                                                .put("table", "products")
                                                .put("txId", 771)
                                                .put("lsn", 33_554_432L)
                                                .put("ts_ms", 1_767_603_600_000L))
                                .put("op", "u")
                                .put("ts_ms", 1_767_603_600_123L));

        HttpResponse<Buffer> ok = client.post(gateway.port(), "127.0.0.1", "/ingest/db-changes?pk=id")
                .sendJsonObject(update)
                .await();

        assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(200);
        var record = ingested.history().get(0);
        assertThat(record.key()).isEqualTo("public.products:42");
        DbChange change = new KafkaAvroSerde<>(registry, DbChange.class, false, false)
                .deserializer()
                .deserialize("db-changes", record.value());
        assertThat(change.getOp()).isEqualTo(DbOp.UPDATE);
        assertThat(change.getBefore()).containsEntry("category", "books");
        assertThat(change.getAfter()).containsEntry("category", "games");
        assertThat(change.getPrimaryKey()).containsExactly(Map.entry("id", "42"));
        assertThat(ingest("/ingest/db-changes", new JsonObject().put("payload", new JsonObject().put("op", "x"))))
                .startsWith("400 invalid_event");
    }

    @Test
    void refusesIngestWithTheReason() {
        JsonObject noService = new JsonObject()
                .put("eventId", "l-1")
                .put("occurredAt", 1767603600000L)
                .put("instance", "i")
                .put("level", "ERROR")
                .put("message", "m");
        assertThat(ingest("/ingest/logs", noService)).isEqualTo("400 invalid_event $.service: required");
        assertThat(ingest("/ingest/logs", noService.copy().put("service", "s").put("level", "LOUD")))
                .startsWith("400 invalid_event $.level: expected one of [TRACE, DEBUG, INFO, WARN, ERROR, FATAL]");
        assertThat(ingest("/ingest/logs", noService.copy().put("service", "s").put("occurredAt", "yesterday")))
                .startsWith("400 invalid_event $.occurredAt: expected an ISO-8601 timestamp");
        assertThat(ingest("/ingest/nope", noService)).startsWith("404 unknown_topic");
        assertThat(ingest("/ingest/decisions.rate-limits", noService)).startsWith("403 topic_not_ingestible");
        assertThat(ingest("/ingest/auth-events", noService)).startsWith("403 topic_not_ingestible");
        assertThat(ingest("/ingest/requests", noService))
                .as("request events come from the gateway only")
                .startsWith("403 topic_not_ingestible");
        HttpResponse<Buffer> text = client.post(gateway.port(), "127.0.0.1", "/ingest/logs")
                .putHeader("Content-Type", "text/plain")
                .sendBuffer(Buffer.buffer("hi"))
                .await();
        assertThat(text.statusCode()).isEqualTo(415);
        HttpResponse<Buffer> notAvro = client.post(gateway.port(), "127.0.0.1", "/ingest/logs")
                .putHeader("Content-Type", "application/avro")
                .sendBuffer(Buffer.buffer("{\"a\":1}"))
                .await();
        assertThat(notAvro.bodyAsJsonObject().getString("message")).contains("unknown magic byte");
        assertThat(ingested.history()).isEmpty();
    }

    @Test
    void filtersRunInOrderAnswerOrAddHeadersAndSeeTheResponse() {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        GatewayFilter teapot = filter(
                "teapot",
                20,
                request -> request.request().path().endsWith("/teapot")
                        ? Verdict.answer(418, Map.of("X-Why", "teapot"), new JsonObject().put("error", "teapot"))
                        : Verdict.PROCEED,
                seen);
        GatewayFilter stamp = filter(
                "stamp",
                10,
                request -> {
                    request.addResponseHeader("X-Stamp", "1");
                    return Verdict.PROCEED;
                },
                seen);
        // A Vert.x instance of its own: servers of one instance on "any port" share theirs.
        Vertx own = Vertx.vertx();
        GatewayFilter later =
                filter("later", 30, request -> new Verdict.Later(own.executeBlocking(() -> Verdict.PROCEED)), seen);
        GatewayServer filtered = new GatewayServer(
                own,
                new GatewayConfig(
                        "gw-f",
                        "127.0.0.1",
                        0,
                        List.of(new Route(
                                "api", "/api", List.of(new Route.Upstream("127.0.0.1", upstreamA.actualPort())))),
                        false,
                        100,
                        false),
                events,
                Clock.fixed(BEGINNING, ZoneOffset.UTC),
                List.of(),
                List.of(later, teapot, stamp),
                Optional.empty(),
                new Tracing(Optional.empty()),
                Map.of());
        try {
            filtered.start().await();

            HttpResponse<Buffer> proxied = client.get(filtered.port(), "127.0.0.1", "/api/items")
                    .send()
                    .await();
            HttpResponse<Buffer> answered = client.get(filtered.port(), "127.0.0.1", "/api/teapot")
                    .send()
                    .await();

            assertThat(proxied.bodyAsString()).isEqualTo("a:/api/items");
            assertThat(proxied.getHeader("X-Stamp"))
                    .as("added by a filter, on the upstream's answer")
                    .isEqualTo("1");
            assertThat(answered.statusCode()).isEqualTo(418);
            assertThat(answered.getHeader("X-Why")).isEqualTo("teapot");
            assertThat(answered.getHeader("X-Stamp")).isEqualTo("1");
            assertThat(seen)
                    .containsExactly(
                            "stamp:/api/items",
                            "teapot:/api/items",
                            "later:/api/items",
                            "response:stamp:200",
                            "response:teapot:200",
                            "response:later:200",
                            "stamp:/api/teapot",
                            "teapot:/api/teapot",
                            // "later" ran after the answer on neither the request nor the response.
                            "response:stamp:418",
                            "response:teapot:418");
        } finally {
            filtered.close();
            own.close().await();
        }
    }

    private static GatewayFilter filter(
            String name,
            int order,
            java.util.function.Function<RequestContext, Verdict> verdict,
            java.util.List<String> seen) {
        return new GatewayFilter() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int order() {
                return order;
            }

            @Override
            public Verdict onRequest(RequestContext request) {
                seen.add(name + ":" + request.request().path());
                return verdict.apply(request);
            }

            @Override
            public void onResponse(RequestContext request, int status) {
                seen.add("response:" + name + ":" + status);
            }
        };
    }

    private String ingest(String path, JsonObject body) {
        HttpResponse<Buffer> response = client.post(gateway.port(), "127.0.0.1", path)
                .sendJsonObject(body)
                .await();
        return response.statusCode() + " " + response.bodyAsJsonObject().getString("error") + " "
                + response.bodyAsJsonObject().getString("message");
    }

    private HttpResponse<Buffer> get(String path) {
        return client.get(gateway.port(), "127.0.0.1", path).send().await();
    }

    private List<RequestEvent> awaitEvents(int count) {
        Poll.until(
                count + " request events",
                Duration.ofSeconds(10),
                () -> producer.history().size() >= count);
        return producer.history().stream().map(r -> r.value()).toList();
    }

    private HttpServer upstream(String name) {
        return vertx.createHttpServer()
                .requestHandler(req -> req.response()
                        .putHeader("X-Upstream-Traceparent", String.valueOf(req.getHeader("traceparent")))
                        .end(name + ":" + req.path()))
                .listen(0, "127.0.0.1")
                .await();
    }
}
