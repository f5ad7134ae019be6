package io.streamops.platform;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.decisions.RateLimit;
import io.streamops.events.LogEvent;
import io.streamops.events.LogLevel;
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
import io.streamops.topologies.ratelimit.RequestRateOperator;
import io.streamops.topologies.runtime.StreamsRunner;
import io.streamops.workflows.loganomaly.LogAnomalyWorkflow;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A stricter policy replayed over history decides more, without touching the decisions on record. */
class ReplayIT {

    static final TestStack STACK = TestStack.shared();

    /** Envoy's YAML with a limit per client address of {@code perMinute} a minute, all at once. */
    static String policy(int perMinute) {
        return """
                domain: replay
                descriptors:
                  - key: remote_address
                    rate_limit: {unit: minute, requests_per_unit: %d, burst: %d}
                """.formatted(perMinute, perMinute);
    }

    @Test
    void replaysHistoryThroughANewPolicyAndComparesWithTheRecord() throws Exception {
        TopicNaming naming = new TopicNaming("replay-it.", Map.of());
        STACK.createTopics(naming.resolveAll(new RateLimitWorkflow().topics()));
        STACK.createTopics(naming.resolve(Topics.REQUESTS));
        TopicBinder topics = TopicBinder.of(STACK.registry(), true, naming);
        BoundTopic<String, RequestEvent> requests = topics.bind(Topics.REQUESTS);
        try (KafkaProducer<String, RequestEvent> producer = STACK.kafka()
                .producer(
                        "replay-it",
                        Map.of(),
                        new StringSerializer(),
                        requests.value().serializer())) {
            // Each client's requests come one a millisecond from BEGINNING, in time order, as gateways stamp them.
            Map<String, Integer> sends = Map.of("198.51.100.1", 60, "198.51.100.2", 120, "198.51.100.3", 200);
            for (int i = 0; i < 200; i++) {
                Instant at = BEGINNING.plusMillis(i);
                for (String client : new java.util.TreeSet<>(sends.keySet())) {
                    if (i < sends.get(client)) {
                        producer.send(new ProducerRecord<>(
                                requests.name(),
                                null,
                                at.toEpochMilli(),
                                "ip:" + client,
                                TestEvents.request(client + "-" + i, at)
                                        .setClientAddress(client)
                                        .build()));
                    }
                }
            }
        }
        Path stateDir = Files.createTempDirectory("replay-it");
        Settings live = Settings.of(Map.of(
                "streamops.ratelimit.policy.file",
                Files.writeString(stateDir.resolve("live.yaml"), policy(100)).toString()));
        Settings stricter = live.with(Map.of(
                "streamops.ratelimit.policy.file",
                Files.writeString(stateDir.resolve("stricter.yaml"), policy(50)).toString()));
        try {
            StreamsRunner.Config config = new StreamsRunner.Config(
                    "streamops-replay-it-",
                    STACK.kafka(),
                    stateDir,
                    "exactly_once_v2",
                    (short) 1,
                    Duration.ofMillis(100),
                    Map.of());
            try (StreamsRunner runner =
                            new StreamsRunner(new RequestRateOperator(), config, topics, live, STACK.registry());
                    TopicReader<String, RateLimit> recorded = reader(topics)) {
                runner.start();
                recorded.readUntil(Duration.ofSeconds(60), seen -> seen.size() >= 2);
            }

            Replay.Report report = replay(stricter, naming, Optional.empty(), stateDir);

            assertThat(report.recorded().get("decisions.rate-limits"))
                    .containsOnlyKeys(bucket("198.51.100.2"), bucket("198.51.100.3"));
            assertThat(report.replayed().get("decisions.rate-limits"))
                    .containsOnlyKeys(bucket("198.51.100.1"), bucket("198.51.100.2"), bucket("198.51.100.3"));
            assertThat(report.describe())
                    .contains("of the whole history")
                    .contains("2 decisions on record, 3 by the replayed policy")
                    .contains(bucket("198.51.100.1"))
                    .contains("0 -> 1");
            assertThat(Why.decisions(
                            STACK.kafka(),
                            naming.resolve("decisions.rate-limits"),
                            bucket("198.51.100.3"),
                            STACK.registry()))
                    .singleElement()
                    .asString()
                    .contains("101 requests admitted")
                    .contains("\"mode\": \"SHADOW\"")
                    .contains("\"requestsPerUnit\": 100.0");

            // Since 100 ms in: client 2 sent 20 requests and client 3 a hundred, only the latter over 50.
            Replay.Report recent = replay(stricter, naming, Optional.of(BEGINNING.plusMillis(100)), stateDir);

            assertThat(recent.recorded().get("decisions.rate-limits"))
                    .as("decided on requests from 100 ms on")
                    .containsOnlyKeys(bucket("198.51.100.2"), bucket("198.51.100.3"));
            assertThat(recent.replayed().get("decisions.rate-limits")).containsOnlyKeys(bucket("198.51.100.3"));
            assertThat(recent.describe()).contains("of the inputs since " + BEGINNING.plusMillis(100));
        } finally {
            Directories.deleteQuietly(stateDir);
        }
    }

    private static Replay.Report replay(Settings settings, TopicNaming naming, Optional<Instant> since, Path workDir)
            throws Exception {
        return Replay.run(
                new RateLimitWorkflow().operators().get(0),
                settings,
                STACK.kafka(),
                STACK.registry(),
                STACK.registryUrl(),
                naming,
                since,
                Path.of(".."),
                workDir,
                Duration.ofMinutes(2));
    }

    private static String bucket(String address) {
        return "replay|remote_address=" + address;
    }

    @Test
    void replaysAFlinkJobOverItsWholeHistoryToo() throws Exception {
        TopicNaming naming = new TopicNaming("replay-flink-it.", Map.of());
        STACK.createTopics(naming.resolveAll(new LogAnomalyWorkflow().topics()));
        STACK.createTopics(naming.resolve(Topics.LOGS));
        TopicBinder topics = TopicBinder.of(STACK.registry(), true, naming);
        BoundTopic<String, LogEvent> logs = topics.bind(Topics.LOGS);
        try (KafkaProducer<String, LogEvent> producer = STACK.kafka()
                .producer(
                        "replay-flink-it",
                        Map.of(),
                        new StringSerializer(),
                        logs.value().serializer())) {
            // In the first 10 s window: 7 errors from payments, 3 from search; then a line in a later
            // window on every partition, so that event time passes the first window everywhere.
            Map.of("payments", 7, "search", 3).forEach((service, errors) -> {
                for (int i = 0; i < errors; i++) {
                    producer.send(new ProducerRecord<>(
                            logs.name(),
                            service,
                            TestEvents.log(service + "-" + i, BEGINNING.plusMillis(i), service, LogLevel.ERROR)
                                    .build()));
                }
            });
            for (int p = 0; p < Topics.LOGS.partitions(); p++) {
                producer.send(new ProducerRecord<>(
                        logs.name(),
                        p,
                        "clock",
                        TestEvents.log("tick-" + p, BEGINNING.plusSeconds(30), "clock", LogLevel.INFO)
                                .build()));
            }
        }
        Path workDir = Files.createTempDirectory("replay-flink-it");
        try {
            Replay.Report report = Replay.run(
                    new LogAnomalyWorkflow().operators().get(0),
                    Settings.of(Map.of("streamops.loganomaly.threshold", "5", "streamops.flink.parallelism", "1")),
                    STACK.kafka(),
                    STACK.registry(),
                    STACK.registryUrl(),
                    naming,
                    Optional.empty(),
                    Path.of(".."),
                    workDir,
                    Duration.ofMinutes(3));

            assertThat(report.recorded().get("decisions.anomalies"))
                    .as("no job ran live")
                    .isEmpty();
            assertThat(report.replayed().get("decisions.anomalies")).isEqualTo(Map.of("payments", 1));
        } finally {
            Directories.deleteQuietly(workDir);
        }
    }

    static TopicReader<String, RateLimit> reader(TopicBinder topics) {
        BoundTopic<String, RateLimit> limits = topics.bind(RateLimitWorkflow.DECISIONS);
        return new TopicReader<>(
                STACK.kafka(),
                limits.name(),
                limits.key().deserializer(),
                limits.value().deserializer());
    }
}
