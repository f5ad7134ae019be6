package io.streamops.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.events.RequestEvent;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.Topics;
import io.streamops.schemas.workflow.Workflows;
import io.streamops.testkit.TestStack;
import io.streamops.testkit.TopicReader;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class GatewayIT {

    private static final TestStack STACK = TestStack.shared();

    @Test
    void proxiedRequestsArriveOnTheRequestsTopicAsAvro() {
        TopicNaming naming = new TopicNaming("gw-it.", Map.of());
        TopicBinder topics = TopicBinder.of(STACK.registry(), true, naming);
        STACK.createTopics(naming.resolveAll(Workflows.topics()));
        Vertx vertx = Vertx.vertx();
        HttpServer upstream = vertx.createHttpServer()
                .requestHandler(r -> r.response().end("ok"))
                .listen(0, "127.0.0.1")
                .await();
        Settings settings = Settings.of(Map.of(
                "streamops.gateway.id", "gw-it",
                "streamops.gateway.port", "0",
                "streamops.gateway.route.all.prefix", "/",
                "streamops.gateway.route.all.upstreams", "127.0.0.1:" + upstream.actualPort(),
                "streamops.gateway.trust.forwarded", "true",
                "streamops.gateway.auth.enabled", "false",
                "streamops.gateway.ingest.enabled", "false"));
        try (Gateway gateway = Gateway.start(settings, STACK.kafka(), STACK.registry(), naming)) {
            WebClient client = WebClient.create(vertx);
            for (int i = 0; i < 3; i++) {
                assertThat(client.get(gateway.port(), "127.0.0.1", "/page/" + i)
                                // The client claims 203.0.113.99; the trusted balancer appended what it saw.
                                .putHeader("X-Forwarded-For", "203.0.113.99, 198.51.100.23")
                                .send()
                                .await()
                                .statusCode())
                        .isEqualTo(200);
            }

            BoundTopic<String, RequestEvent> requests = topics.bind(Topics.REQUESTS);
            try (TopicReader<String, RequestEvent> reader = new TopicReader<>(
                    STACK.kafka(),
                    requests.name(),
                    requests.key().deserializer(),
                    requests.value().deserializer())) {
                List<ConsumerRecord<String, RequestEvent>> seen =
                        reader.readUntil(Duration.ofSeconds(30), r -> r.size() >= 3);
                assertThat(seen).extracting(ConsumerRecord::key).containsOnly("ip:198.51.100.23");
                assertThat(seen)
                        .extracting(r -> r.value().getPath())
                        .containsExactlyInAnyOrder("/page/0", "/page/1", "/page/2");
                assertThat(seen)
                        .allSatisfy(r -> assertThat(r.timestamp())
                                .isEqualTo(r.value().getOccurredAt().toEpochMilli()));
            }
        } finally {
            vertx.close().await();
        }
    }
}
