package io.streamops.benchmarks;

import com.nimbusds.jose.JWSAlgorithm;
import io.streamops.decisions.RateLimit;
import io.streamops.decisions.SigningKey;
import io.streamops.events.RequestEvent;
import io.streamops.gateway.GatewayConfig;
import io.streamops.gateway.GatewayServer;
import io.streamops.gateway.RequestEventPublisher;
import io.streamops.gateway.Route;
import io.streamops.gateway.auth.AuthFilter;
import io.streamops.gateway.auth.jwt.JwtIssuer;
import io.streamops.gateway.auth.jwt.JwtVerifier;
import io.streamops.gateway.keys.KeyRotation;
import io.streamops.gateway.keys.MasterKey;
import io.streamops.gateway.keys.SigningKeyRing;
import io.streamops.gateway.ratelimit.RateLimitFilter;
import io.streamops.gateway.tracing.Tracing;
import io.streamops.gateway.view.DecisionTable;
import io.streamops.workflows.ratelimit.policy.RateLimitRules;
import io.streamops.workflows.ratelimit.policy.RulesParser;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One proxied request over loopback, through a route that requires a JWT (EdDSA), through one that
 * also has a rate limit (every filter of the request path), and through an open route to the same
 * upstream (the baseline): the differences are what the filters add to a request.
 * Request events go to an in-memory producer, so Kafka is not measured here.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class ProxyAuthBenchmark {

    /** A limit per client on the filtered route, far above what one client sends here: every request passes. */
    static final RateLimitRules FILTERED_LIMIT = RulesParser.parse("""
            domain: bench
            descriptors:
              - key: route
                value: filtered
                descriptors:
                  - key: remote_address
                    rate_limit: {unit: second, requests_per_unit: 1000000}
            """);

    private Vertx vertx;
    private GatewayServer gateway;
    private WebClient client;
    private String bearer;
    private RequestEventPublisher events;

    @Setup
    public void setUp() {
        vertx = Vertx.vertx();
        HttpServer upstream = vertx.createHttpServer()
                .requestHandler(r -> r.response().end("ok"))
                .listen(0, "127.0.0.1")
                .await();
        Clock clock = Clock.systemUTC();
        MasterKey master = MasterKey.fromBase64(MasterKey.generateBase64());
        SigningKey key = new KeyRotation(
                        JWSAlgorithm.EdDSA, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofMinutes(16), master)
                .due(Optional.empty(), clock.instant())
                .orElseThrow();
        SigningKeyRing ring = new SigningKeyRing(master, clock);
        ring.apply(key.getKid(), key);
        String issuer = "https://gateway.bench";
        bearer = "Bearer "
                + new JwtIssuer(ring, issuer, issuer, Duration.ofMinutes(15), clock).issue("user-1", Map.of());
        JwtVerifier verifier = new JwtVerifier(ring, Set.of(issuer), Set.of(issuer), Duration.ofSeconds(30), clock);
        Route.Upstream to = new Route.Upstream("127.0.0.1", upstream.actualPort());
        GatewayConfig config = new GatewayConfig(
                "bench",
                "127.0.0.1",
                0,
                List.of(
                        new Route("open", "/open", List.of(to)),
                        new Route("private", "/private", List.of(to)),
                        new Route("filtered", "/filtered", List.of(to))),
                false,
                100_000,
                false);
        events = new RequestEventPublisher(
                new MockProducer<String, RequestEvent>(true, null, new StringSerializer(), (t, e) -> new byte[0]) {
                    @Override
                    public synchronized Future<RecordMetadata> send(
                            ProducerRecord<String, RequestEvent> record, Callback callback) {
                        // Keep memory flat over millions of requests: only the callback matters here.
                        Future<RecordMetadata> sent = super.send(record, callback);
                        clear();
                        return sent;
                    }
                },
                "requests",
                100_000);
        gateway = new GatewayServer(
                vertx,
                config,
                events,
                clock,
                List.of(),
                List.of(
                        new AuthFilter(vertx, Optional.of(verifier), Optional.empty(), Set.of("private", "filtered")),
                        RateLimitFilter.standalone(
                                () -> List.of(FILTERED_LIMIT),
                                new DecisionTable<>(RateLimit::getExpiresAt, clock),
                                () -> 1,
                                1.0,
                                io.streamops.common.Mode.ENFORCE,
                                clock)),
                Optional.empty(),
                new Tracing(Optional.empty()),
                Map.of());
        gateway.start().await();
        client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true));
    }

    @Benchmark
    @Measures(
            value = "proxied request with JWT (loopback)",
            baseline = "baselineProxiedOpen",
            baselineLabel = "same, open route")
    public int proxiedWithJwt() throws Exception {
        return client.get(gateway.port(), "127.0.0.1", "/private/item")
                .putHeader("Authorization", bearer)
                .send()
                .toCompletionStage()
                .toCompletableFuture()
                .get()
                .statusCode();
    }

    @Benchmark
    @Measures(
            value = "proxied request through every filter (JWT, rate limit; loopback)",
            baseline = "baselineProxiedOpen",
            baselineLabel = "same, open route (no filter applies)")
    public int proxiedThroughAllFilters() throws Exception {
        return client.get(gateway.port(), "127.0.0.1", "/filtered/item")
                .putHeader("Authorization", bearer)
                .send()
                .toCompletionStage()
                .toCompletableFuture()
                .get()
                .statusCode();
    }

    @Benchmark
    public int baselineProxiedOpen() throws Exception {
        return client.get(gateway.port(), "127.0.0.1", "/open/item")
                .send()
                .toCompletionStage()
                .toCompletableFuture()
                .get()
                .statusCode();
    }

    @TearDown
    public void tearDown() {
        events.close();
        gateway.close();
        vertx.close().await();
    }
}
