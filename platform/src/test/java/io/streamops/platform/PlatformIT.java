package io.streamops.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.broker.EmbeddedKafkaBroker;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.registry.RestSchemaRegistryClient;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.testkit.Directories;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one-command platform with --demo, on free ports: everything starts, the gateway and registry
 * answer, and decisions of both engines flow within the minute the README promises.
 */
class PlatformIT {

    @Test
    void theDemoPlatformServesAndDecisionsFlowWithinAMinute() throws Exception {
        Path dataDir = Files.createTempDirectory("streamops-platform-it");
        int gatewayPort = EmbeddedKafkaBroker.freePort();
        Settings settings = Settings.of(Map.of(
                "streamops.data.dir",
                dataDir.toString(),
                "streamops.kafka.port",
                "0",
                "streamops.kafka.controller.port",
                "0",
                "streamops.registry.port",
                "0",
                "streamops.flink.port",
                Integer.toString(EmbeddedKafkaBroker.freePort()),
                "streamops.gateway.port",
                Integer.toString(gatewayPort),
                "streamops.demo.port",
                Integer.toString(EmbeddedKafkaBroker.freePort()),
                // A replication slot would outlive the test on the machine's PostgreSQL, holding WAL:
                // the demo's change capture is CacheInvalidationIT's and ChangeCaptureIT's to test.
                "streamops.cache.capture.enabled",
                "false"));
        PlatformConfig config = PlatformConfig.from(settings, null, true);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (Platform platform = Platform.start(
                config, settings, Path.of(".."), new PrintStream(console, true, StandardCharsets.UTF_8))) {
            KafkaClients kafka =
                    KafkaClients.plain(platform.endpoints().get("Kafka broker").split(" ")[0]);
            String registryUrl = platform.endpoints().get("Schema registry").split(" ")[0];

            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(registryUrl);
            assertThat(registry.subjects())
                    .contains("requests-value", "decisions.rate-limits-value", "decisions.anomalies-value");
            assertThat(platform.endpoints().get("Flink")).startsWith("http://");

            TopicBinder topics = TopicBinder.of(registry);
            assertThat(firstDecision(kafka, topics.bind(RateLimitWorkflow.DECISIONS))
                            .getEnvelope()
                            .getOperator())
                    .isEqualTo("request-rate");
            assertThat(firstDecision(kafka, topics.bind(LogAnomalyWorkflow.DECISIONS))
                            .getService())
                    .isEqualTo("checkout");
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("[decision] decisions.");
        } finally {
            Directories.deleteQuietly(dataDir);
        }
    }

    private static <V> V firstDecision(KafkaClients kafka, BoundTopic<String, V> topic) {
        try (TopicReader<String, V> reader = new TopicReader<>(
                kafka, topic.name(), topic.key().deserializer(), topic.value().deserializer())) {
            return reader.readUntil(Duration.ofSeconds(60), seen -> !seen.isEmpty())
                    .get(0)
                    .value();
        }
    }
}
