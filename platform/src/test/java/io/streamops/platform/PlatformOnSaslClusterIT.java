package io.streamops.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.broker.EmbeddedKafkaBroker;
import io.streamops.decisions.Anomaly;
import io.streamops.decisions.RateLimit;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.registry.RestSchemaRegistryClient;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.Topics;
import io.streamops.testkit.Directories;
import io.streamops.testkit.TestStack;
import io.streamops.testkit.TopicReader;
import io.streamops.workflows.loganomaly.LogAnomalyWorkflow;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The platform on a Kafka cluster that requires SASL/PLAIN (the shared test broker takes no other
 * clients), configured only through {@code streamops.kafka.client.*}: the registry, the Kafka
 * Streams operator, the Flink job in its own JVM, the actuators and the gateway (its views, its auth
 * store, its request events) all connect, and decisions of both engines come out.
 */
class PlatformOnSaslClusterIT {

    static final TestStack STACK = TestStack.shared();

    @Test
    void everyPartConnectsThroughTheClientFactory() throws Exception {
        Path dataDir = Files.createTempDirectory("streamops-sasl-it");
        int gatewayPort = EmbeddedKafkaBroker.freePort();
        Map<String, String> settings = new HashMap<>(STACK.kafka().asSettings());
        settings.putAll(Map.of(
                "streamops.data.dir", dataDir.toString(),
                "streamops.topic.prefix", "sasl-it.",
                "streamops.registry.port", "0",
                "streamops.registry.topic", "_schemas-sasl-it",
                "streamops.streams.application.prefix", "streamops-sasl-it-",
                "streamops.flink.group.prefix", "streamops-sasl-it-",
                "streamops.flink.port", Integer.toString(EmbeddedKafkaBroker.freePort()),
                "streamops.gateway.port", Integer.toString(gatewayPort),
                "streamops.demo.port", Integer.toString(EmbeddedKafkaBroker.freePort())));
        // No replication slot left on the machine's PostgreSQL (see PlatformIT).
        settings.put("streamops.cache.capture.enabled", "false");
        Settings given = Settings.of(settings);
        PlatformConfig config = PlatformConfig.from(given, null, true);
        assertThat(config.runs(PlatformConfig.Component.BROKER)).isFalse();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (Platform platform =
                Platform.start(config, given, Path.of(".."), new PrintStream(console, true, StandardCharsets.UTF_8))) {
            String registryUrl = platform.endpoints().get("Schema registry").split(" ")[0];
            TopicBinder topics = TopicBinder.of(
                    new RestSchemaRegistryClient(registryUrl), true, new TopicNaming("sasl-it.", Map.of()));

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> signUp = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/api/auth/sign-up/email"))
                            .header("Content-Type", "application/json")
                            .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                            "{\"name\":\"S\",\"email\":\"sasl@example.com\",\"password\":\"correct horse battery staple\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(signUp.statusCode())
                    .as("the auth store on auth-events: " + signUp.body())
                    .isEqualTo(200);

            assertThat(first(topics.bind(Topics.REQUESTS)).getGatewayId()).isEqualTo("gateway-1");
            RateLimit limit = first(topics.bind(RateLimitWorkflow.DECISIONS));
            assertThat(limit.getEnvelope().getOperator()).isEqualTo("request-rate");
            Anomaly anomaly = first(topics.bind(LogAnomalyWorkflow.DECISIONS));
            assertThat(anomaly.getService())
                    .as("decided by the Flink job in its own JVM")
                    .isEqualTo("checkout");
            assertThat(platform.endpoints()).containsKeys("Kafka", "Kafka Streams", "Flink", "Actuators", "Gateway");
        } finally {
            Directories.deleteQuietly(dataDir);
        }
    }

    private static <V> V first(BoundTopic<String, V> topic) {
        try (TopicReader<String, V> reader = new TopicReader<>(
                STACK.kafka(),
                topic.name(),
                topic.key().deserializer(),
                topic.value().deserializer())) {
            return reader.readUntil(Duration.ofSeconds(90), seen -> !seen.isEmpty())
                    .get(0)
                    .value();
        }
    }
}
