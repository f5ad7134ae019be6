package io.streamops.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

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
        Settings operator = Settings.of(Map.of(
                        "streamops.requestrate.mode", "enforce",
                        "streamops.requestrate.limit", "5",
                        "streamops.requestrate.window", "1m",
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
            String decisionId = refused.bodyAsJsonObject().getString("decisionId");
            assertThat(get(http, a, QUIET).statusCode())
                    .as("another client is served")
                    .isEqualTo(200);
            assertThat(get(http, b, QUIET).statusCode()).isEqualTo(200);
            for (Gateway g : List.of(a, b)) {
                assertThat(http.get(g.port(), "127.0.0.1", "/health")
                                .send()
                                .await()
                                .bodyAsJsonObject()
                                .getJsonObject("filters")
                                .getJsonObject("ratelimit")
                                .getLong("refused"))
                        .isPositive();
            }

            assertThat(Why.decisions(
                            STACK.kafka(),
                            naming.resolve(RateLimitWorkflow.DECISIONS.name()),
                            "ip:" + NOISY,
                            STACK.registry()))
                    .anySatisfy(answer -> assertThat(answer)
                            .contains(decisionId)
                            .contains("\"mode\": \"ENFORCE\"")
                            .contains("ip:" + NOISY + " sent 6 requests"));
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

    static Gateway gateway(String id, int upstream, TopicNaming naming) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "streamops.gateway.id", id,
                "streamops.gateway.port", "0",
                "streamops.gateway.route.shop.prefix", "/",
                "streamops.gateway.route.shop.upstreams", "127.0.0.1:" + upstream,
                "streamops.gateway.trust.forwarded", "true",
                "streamops.gateway.auth.enabled", "false",
                "streamops.gateway.ingest.enabled", "false"));
        return Gateway.start(Settings.of(settings), STACK.kafka(), STACK.registry(), naming);
    }
}
