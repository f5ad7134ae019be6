package io.streamops.platform;

import io.streamops.schemas.config.Settings;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicAdmin;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.TopicView;
import io.streamops.topologies.runtime.StreamsOperator;
import io.streamops.topologies.runtime.StreamsRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Replays an operator's whole input history through a policy given by settings, before anyone
 * enables it: the operator runs under an application id of its own from the beginning of its input
 * topics, writing its decisions to topics of its own ({@code replay-<run>.<topic>}) that no
 * actuator reads, until it has caught up; then its decisions are compared, per key, with those on
 * record.
 */
public final class Replay {

    /** What the replayed policy decided next to what is on record, by decision topic and key. */
    public record Report(
            String runId, Map<String, Map<String, Integer>> recorded, Map<String, Map<String, Integer>> replayed) {

        public String describe() {
            StringBuilder text = new StringBuilder("replay " + runId + "\n");
            for (String topic : replayed.keySet()) {
                Map<String, Integer> before = recorded.getOrDefault(topic, Map.of());
                Map<String, Integer> after = replayed.get(topic);
                text.append(String.format(
                        "  %s: %d decisions on record, %d by the replayed policy%n",
                        topic, total(before), total(after)));
                Set<String> keys = new TreeSet<>(before.keySet());
                keys.addAll(after.keySet());
                for (String key : keys) {
                    int was = before.getOrDefault(key, 0);
                    int now = after.getOrDefault(key, 0);
                    if (was != now) {
                        text.append(String.format("    %-32s %d -> %d%n", key, was, now));
                    }
                }
            }
            return text.toString();
        }

        private static int total(Map<String, Integer> counts) {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private Replay() {}

    public static Report run(
            StreamsOperator operator,
            Settings settings,
            String bootstrap,
            SchemaRegistryClient registry,
            TopicNaming naming,
            Path stateDir,
            Duration timeout)
            throws Exception {
        String runId = "r" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> renames = new HashMap<>(naming.renames());
        List<Topic<?, ?>> outputs =
                operator.topics().stream().filter(Replay::isOutput).toList();
        for (Topic<?, ?> output : outputs) {
            renames.put(output.name(), "replay-" + runId + "." + naming.resolve(output.name()));
        }
        TopicNaming replayNaming = new TopicNaming(naming.prefix(), renames);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TopicAdmin.createMissing(admin, replayNaming.resolveAll(outputs), (short)
                    settings.integer("streamops.replication.factor", 1));
            StreamsRunner.Config live =
                    StreamsRunner.Config.from(settings.with(Map.of("streamops.kafka.bootstrap", bootstrap)), stateDir);
            StreamsRunner.Config config = new StreamsRunner.Config(
                    "streamops-replay-" + runId + "-",
                    bootstrap,
                    stateDir.resolve(runId),
                    live.processingGuarantee(),
                    live.replicationFactor(),
                    live.commitInterval(),
                    live.overrides());
            TopicBinder topics = TopicBinder.of(registry, true, replayNaming);
            try (StreamsRunner runner = new StreamsRunner(operator, config, topics, settings, registry)) {
                runner.start();
                runner.awaitRunning(timeout);
                List<String> inputs = operator.topics().stream()
                        .filter(t -> !isOutput(t))
                        .map(t -> naming.resolve(t.name()))
                        .toList();
                awaitCaughtUp(admin, config.applicationIdPrefix() + operator.name(), inputs, timeout);
            }
        }
        Map<String, Map<String, Integer>> recorded = new TreeMap<>();
        Map<String, Map<String, Integer>> replayed = new TreeMap<>();
        for (Topic<?, ?> output : outputs) {
            if (output.name().startsWith("decisions.")) {
                recorded.put(output.name(), countByKey(bootstrap, naming.resolve(output.name())));
                replayed.put(output.name(), countByKey(bootstrap, replayNaming.resolve(output.name())));
            }
        }
        return new Report(runId, recorded, replayed);
    }

    static boolean isOutput(Topic<?, ?> topic) {
        return topic.name().startsWith("decisions.") || topic.name().startsWith("dlq.");
    }

    /** Until a consumer group's committed offsets reach the (committed) end of every input partition. */
    public static void awaitCaughtUp(Admin admin, String groupId, List<String> inputs, Duration timeout)
            throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(inputs)
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .forEach((name, description) -> description
                        .partitions()
                        .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(
                        latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            boolean caughtUp = ends.entrySet().stream()
                    .allMatch(e -> e.getValue().offset() == 0
                            || (committed.get(e.getKey()) != null
                                    && committed.get(e.getKey()).offset()
                                            >= e.getValue().offset()));
            if (caughtUp) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replay did not catch up with " + inputs + " within " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** Committed records of a topic, counted by key. */
    private static Map<String, Integer> countByKey(String bootstrap, String topic) {
        Map<String, Integer> counts = new TreeMap<>();
        TopicView.readAll(
                bootstrap,
                topic,
                new StringDeserializer(),
                new ByteArrayDeserializer(),
                record -> counts.merge(String.valueOf(record.key()), 1, Integer::sum));
        return counts;
    }
}
