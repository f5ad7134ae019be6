package io.streamops.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamops.gateway.Gateway;
import io.streamops.platform.Why;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.wait.Poll;
import io.streamops.schemas.workflow.Workflows;
import io.streamops.testkit.Directories;
import io.streamops.testkit.TestStack;
import io.streamops.topologies.ratelimit.RequestRateOperator;
import io.streamops.topologies.runtime.StreamsRunner;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import io.streamops.workflows.ratelimit.policy.RulesException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Workflow 6 end to end, with the request-rate operator in ENFORCE mode: a client over its limit
 * gets 429 from every gateway instance, others are served, and {@code why} shows the decision that
 * caused it.
 */
class RateLimitEnforcementIT {

    static final TestStack STACK = TestStack.shared();
    static final String NOISY = "198.51.100.50";
    static final String QUIET = "198.51.100.60";
    static final java.util.concurrent.atomic.AtomicInteger DELETES = new java.util.concurrent.atomic.AtomicInteger();

    @Test
    void anOffendingClientGets429FromEveryInstanceAndWhyExplainsIt() throws Exception {
        TopicNaming naming = new TopicNaming("rl-enforce-it.", Map.of());
        STACK.createTopics(naming.resolveAll(Workflows.topics()));
        Path stateDir = Files.createTempDirectory("rl-enforce-it");
        Vertx vertx = Vertx.vertx();
        HttpServer upstream = vertx.createHttpServer()
                .requestHandler(r -> r.response().end("ok"))
                .listen(0, "127.0.0.1")
                .await();
        // Five a minute per address, all at once: the sixth request crosses it.
        PolicyPublisher.apply(
                """
                domain: enforce-it
                descriptors:
                  - key: remote_address
                    rate_limit: {unit: minute, requests_per_unit: 5}
                """,
                "test",
                STACK.kafka(),
                TopicBinder.of(STACK.registry(), true, naming),
                java.time.Clock.systemUTC());
        Settings operator = Settings.of(Map.of(
                        "streamops.ratelimit.mode", "enforce",
                        "streamops.streams.application.prefix", "streamops-rl-enforce-it-"))
                .with(STACK.settings());
        try (StreamsRunner runner = new StreamsRunner(
                        new RequestRateOperator(),
                        StreamsRunner.Config.from(operator, stateDir),
                        TopicBinder.of(STACK.registry(), true, naming),
                        operator,
                        STACK.registry());
                Gateway a = gateway("rl-a", upstream.actualPort(), naming);
                Gateway b = gateway("rl-b", upstream.actualPort(), naming)) {
            runner.start();
            runner.awaitRunning(Duration.ofSeconds(60));
            WebClient http = WebClient.create(vertx);

            // The limit applies once its decision is committed and read: keep asking both instances.
            Poll.until(
                    "429 for the noisy client from both instances",
                    Duration.ofSeconds(60),
                    () -> get(http, a, NOISY).statusCode() == 429
                            && get(http, b, NOISY).statusCode() == 429);

            HttpResponse<Buffer> refused = get(http, b, NOISY);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(Integer.parseInt(refused.getHeader("Retry-After"))).isBetween(1, 60);
            assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("rate_limited");
            String decisionId = Poll.value("a 429 that names the global decision", Duration.ofSeconds(30), () -> {
                HttpResponse<Buffer> answer = get(http, b, NOISY);
                return "global decision".equals(answer.bodyAsJsonObject().getString("limitedBy"))
                        ? answer.bodyAsJsonObject().getString("decisionId")
                        : null;
            });
            assertThat(get(http, a, QUIET).statusCode())
                    .as("another client is served")
                    .isEqualTo(200);
            assertThat(get(http, b, QUIET).statusCode()).isEqualTo(200);
            for (Gateway g : List.of(a, b)) {
                var counters = http.get(g.port(), "127.0.0.1", "/health")
                        .send()
                        .await()
                        .bodyAsJsonObject()
                        .getJsonObject("filters")
                        .getJsonObject("ratelimit");
                assertThat(counters.getLong("refused")).isPositive();
                assertThat(counters.getLong("liveGateways"))
                        .as("each sees both")
                        .isEqualTo(2);
                assertThat(counters.getLong("failOpen"))
                        .as("Kafka was readable throughout")
                        .isZero();
            }

            assertThat(Why.decisions(
                            STACK.kafka(),
                            naming.resolve(RateLimitWorkflow.DECISIONS.name()),
                            "enforce-it|remote_address=" + NOISY,
                            STACK.registry()))
                    .anySatisfy(answer -> assertThat(answer)
                            .contains(decisionId)
                            .contains("\"mode\": \"ENFORCE\"")
                            .contains("the limit is 5 per minute"));

            // A bad file is refused before anything is written; a good one is in force on every gateway
            // without a restart: here Envoy's way to block (0 requests) for DELETE.
            String v2 = """
                    domain: enforce-it
                    descriptors:
                      - key: remote_address
                        rate_limit: {unit: minute, requests_per_unit: 5}
                      - key: method
                        value: DELETE
                        rate_limit: {unit: %s, requests_per_unit: 0}
                    """;
            assertThat(delete(http, a).statusCode()).as("before v2").isEqualTo(200);
            TopicBinder binder = TopicBinder.of(STACK.registry(), true, naming);
            assertThatThrownBy(() -> PolicyPublisher.apply(
                            v2.formatted("fortnight"), "bad.yaml", STACK.kafka(), binder, java.time.Clock.systemUTC()))
                    .isInstanceOf(RulesException.class)
                    .hasMessageContaining("line 7");
            assertThat(PolicyPublisher.apply(
                                    v2.formatted("second"),
                                    "v2.yaml",
                                    STACK.kafka(),
                                    binder,
                                    java.time.Clock.systemUTC())
                            .version())
                    .as("the bad file took no version")
                    .isEqualTo(2);
            Poll.until(
                    "DELETE refused by both instances under v2",
                    Duration.ofSeconds(30),
                    () -> delete(http, a).statusCode() == 429 && delete(http, b).statusCode() == 429);
        } finally {
            vertx.close().await();
            Directories.deleteQuietly(stateDir);
        }
    }

    static HttpResponse<Buffer> get(WebClient http, Gateway gateway, String client) {
        return http.get(gateway.port(), "127.0.0.1", "/shop")
                .putHeader("X-Forwarded-For", client)
                .send()
                .await();
    }

    /** A DELETE from an address of its own, so that only a method rule can refuse it. */
    static HttpResponse<Buffer> delete(WebClient http, Gateway gateway) {
        return http.delete(gateway.port(), "127.0.0.1", "/shop/cart")
                .putHeader("X-Forwarded-For", "203.0.113." + DELETES.incrementAndGet())
                .send()
                .await();
    }

    static Gateway gateway(String id, int upstream, TopicNaming naming) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "streamops.gateway.id", id,
                "streamops.gateway.port", "0",
                "streamops.gateway.route.shop.prefix", "/",
                "streamops.gateway.route.shop.upstreams", "127.0.0.1:" + upstream,
                "streamops.gateway.trust.forwarded", "true",
                "streamops.ratelimit.mode", "enforce",
                "streamops.gateway.auth.enabled", "false",
                "streamops.gateway.ingest.enabled", "false"));
        return Gateway.start(Settings.of(settings), STACK.kafka(), STACK.registry(), naming);
    }
}
