package io.streamops.platform;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.decisions.RateLimit;
import io.streamops.events.RequestEvent;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.testing.TestEvents;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.Topics;
import io.streamops.testkit.Directories;
import io.streamops.testkit.TestStack;
import io.streamops.testkit.TopicReader;
import io.streamops.topologies.requestrate.RequestRateTopology;
import io.streamops.topologies.runtime.StreamsRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A stricter policy replayed over history decides more, without touching the decisions on record. */
class ReplayIT {

    static final TestStack STACK = TestStack.shared();

    @Test
    void replaysHistoryThroughANewPolicyAndComparesWithTheRecord() throws Exception {
        TopicNaming naming = new TopicNaming("replay-it.", Map.of());
        STACK.createTopics(naming.resolveAll(RequestRateTopology.OPERATOR.topics()));
        TopicBinder topics = TopicBinder.of(STACK.registry(), true, naming);
        BoundTopic<String, RequestEvent> requests = topics.bind(Topics.REQUESTS);
        try (KafkaProducer<String, RequestEvent> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", STACK.bootstrapServers()),
                new StringSerializer(),
                requests.value().serializer())) {
            Map.of("198.51.100.1", 60, "198.51.100.2", 120, "198.51.100.3", 200).forEach((client, count) -> {
                for (int i = 0; i < count; i++) {
                    producer.send(new ProducerRecord<>(
                            requests.name(),
                            "ip:" + client,
                            TestEvents.request(client + "-" + i, BEGINNING.plusMillis(i))
                                    .setClientAddress(client)
                                    .build()));
                }
            });
        }
        Path stateDir = Files.createTempDirectory("replay-it");
        Settings live = Settings.of(Map.of("streamops.requestrate.window", "1m", "streamops.requestrate.limit", "100"));
        try {
            StreamsRunner.Config config = new StreamsRunner.Config(
                    "streamops-replay-it-",
                    STACK.bootstrapServers(),
                    stateDir,
                    "exactly_once_v2",
                    (short) 1,
                    Duration.ofMillis(100),
                    Map.of());
            try (StreamsRunner runner =
                            new StreamsRunner(RequestRateTopology.OPERATOR, config, topics, live, STACK.registry());
                    TopicReader<String, RateLimit> recorded = reader(topics)) {
                runner.start();
                recorded.readUntil(Duration.ofSeconds(60), seen -> seen.size() >= 2);
            }

            Replay.Report report = Replay.run(
                    RequestRateTopology.OPERATOR,
                    live.with(Map.of("streamops.requestrate.limit", "50")),
                    STACK.bootstrapServers(),
                    STACK.registry(),
                    naming,
                    stateDir,
                    Duration.ofMinutes(2));

            assertThat(report.recorded().get("decisions.rate-limits"))
                    .containsOnlyKeys("ip:198.51.100.2", "ip:198.51.100.3");
            assertThat(report.replayed().get("decisions.rate-limits"))
                    .containsOnlyKeys("ip:198.51.100.1", "ip:198.51.100.2", "ip:198.51.100.3");
            assertThat(report.describe())
                    .contains("2 decisions on record, 3 by the replayed policy")
                    .contains("ip:198.51.100.1")
                    .contains("0 -> 1");
            assertThat(DecisionTail.why(
                            STACK.bootstrapServers(),
                            naming.resolve("decisions.rate-limits"),
                            "ip:198.51.100.3",
                            STACK.registry()))
                    .singleElement()
                    .asString()
                    .contains("ip:198.51.100.3 sent 101 requests")
                    .contains("\"mode\": \"SHADOW\"")
                    .contains("\"limit\": 100.0");
        } finally {
            Directories.deleteQuietly(stateDir);
        }
    }

    static TopicReader<String, RateLimit> reader(TopicBinder topics) {
        BoundTopic<String, RateLimit> limits = topics.bind(Topics.RATE_LIMITS);
        return new TopicReader<>(
                STACK.bootstrapServers(),
                limits.name(),
                limits.key().deserializer(),
                limits.value().deserializer());
    }
}
