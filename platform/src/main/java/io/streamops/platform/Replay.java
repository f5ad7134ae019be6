package io.streamops.platform;

import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.FlinkKeys;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.registry.RegistryClients;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicAdmin;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.TopicRole;
import io.streamops.schemas.topics.TopicView;
import io.streamops.schemas.wait.Poll;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.topologies.runtime.StreamsOperator;
import io.streamops.topologies.runtime.StreamsOperators;
import io.streamops.topologies.runtime.StreamsRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Replays an operator's input history (all of it, or since an instant) through a policy given by
 * settings, before anyone enables it: the operator runs under an id of its own from there, writing
 * its outputs to topics of its own ({@code replay-<run>.<topic>}) that nothing applies, until it has
 * caught up; then its decisions are compared, per key, with those on record. A Kafka Streams
 * operator runs here; a Flink job runs on a MiniCluster of its own in a child JVM, reading its inputs
 * to their current end.
 */
public final class Replay {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Replay.class);

    /** What the replayed policy decided next to what is on record, by decision topic and key. */
    public record Report(
            String runId,
            Optional<Instant> since,
            Map<String, Map<String, Integer>> recorded,
            Map<String, Map<String, Integer>> replayed) {

        public String describe() {
            StringBuilder text = new StringBuilder("replay " + runId
                    + since.map(t -> " of the inputs since " + t).orElse(" of the whole history") + "\n");
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

    /**
     * @param since where to start in the operator's event inputs (their first record at or after it),
     *     and which recorded decisions to compare with; empty for the whole history
     * @param home the streamops checkout, for a Flink job's classpath
     * @param workDir where the replay keeps its state and logs
     */
    public static Report run(
            Workflow.Operator operator,
            Settings settings,
            KafkaClients kafka,
            SchemaRegistryClient registry,
            String registryUrl,
            TopicNaming naming,
            Optional<Instant> since,
            Path home,
            Path workDir,
            Duration timeout)
            throws Exception {
        String runId = "r" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> renames = new HashMap<>(naming.renames());
        for (Topic<?, ?> output : operator.outputs()) {
            renames.put(output.name(), "replay-" + runId + "." + naming.resolve(output.name()));
        }
        TopicNaming replayNaming = new TopicNaming(naming.prefix(), renames);
        try (Admin admin = kafka.admin("streamops-replay-" + runId)) {
            TopicAdmin.createMissing(
                    admin,
                    replayNaming.resolveAll(operator.outputs()),
                    settings.get(TopicNaming.REPLICATION).shortValue());
            if (since.isPresent() && operator.engine() != Workflow.Engine.GATEWAY) {
                startAt(admin, "streamops-replay-" + runId + "-" + operator.name(), operator, naming, since.get());
            }
            switch (operator.engine()) {
                case KAFKA_STREAMS ->
                    replayStreams(
                            operator,
                            settings,
                            kafka,
                            registry,
                            naming,
                            replayNaming,
                            admin,
                            workDir.resolve(runId),
                            runId,
                            timeout);
                case FLINK ->
                    replayFlink(
                            operator,
                            settings,
                            kafka,
                            registryUrl,
                            naming.prefix(),
                            renames,
                            home,
                            workDir.resolve(runId),
                            runId,
                            timeout);
                case GATEWAY ->
                    throw new ConfigException(
                            operator.name()
                                    + " runs inside each gateway instance and reads no event history: it has nothing to replay");
            }
        }
        Map<String, Map<String, Integer>> recorded = new TreeMap<>();
        Map<String, Map<String, Integer>> replayed = new TreeMap<>();
        for (Topic<?, ?> output : operator.decisions()) {
            long from = since.map(Instant::toEpochMilli).orElse(Long.MIN_VALUE);
            recorded.put(output.name(), countByKey(kafka, naming.resolve(output.name()), from));
            // The replay read its inputs from the first record at or after since: all it decided counts.
            replayed.put(output.name(), countByKey(kafka, replayNaming.resolve(output.name()), Long.MIN_VALUE));
        }
        return new Report(runId, since, recorded, replayed);
    }

    private static void replayStreams(
            Workflow.Operator declared,
            Settings settings,
            KafkaClients kafka,
            SchemaRegistryClient registry,
            TopicNaming naming,
            TopicNaming replayNaming,
            Admin admin,
            Path stateDir,
            String runId,
            Duration timeout)
            throws Exception {
        StreamsOperator operator = StreamsOperators.byName(declared.name())
                .orElseThrow(() -> new IllegalStateException("no Kafka Streams operator " + declared.name()));
        Map<String, String> where = new LinkedHashMap<>(kafka.asSettings());
        StreamsRunner.Config config = StreamsRunner.Config.from(settings.with(where), stateDir)
                .renamed("streamops-replay-" + runId + "-", stateDir);
        TopicBinder topics = TopicBinder.of(registry, true, replayNaming);
        try (StreamsRunner runner = new StreamsRunner(operator, config, topics, settings, registry)) {
            runner.start();
            runner.awaitRunning(timeout);
            // Config topics (policies) are read whole into global stores, not by the group.
            List<String> inputs = declared.inputs().stream()
                    .filter(t -> t.role() != TopicRole.CONFIG)
                    .map(t -> naming.resolve(t.name()))
                    .toList();
            awaitStreamsCaughtUp(admin, config.applicationIdPrefix() + operator.name(), inputs, timeout);
        }
    }

    private static void replayFlink(
            Workflow.Operator operator,
            Settings settings,
            KafkaClients kafka,
            String registryUrl,
            String prefix,
            Map<String, String> renames,
            Path home,
            Path workDir,
            String runId,
            Duration timeout)
            throws Exception {
        Map<String, String> child = new LinkedHashMap<>(Platform.withoutGatewaySettings(settings));
        child.putAll(kafka.asSettings());
        child.put(RegistryClients.URL.name(), registryUrl);
        child.put(FlinkKeys.JOB.name(), operator.name());
        child.put(FlinkKeys.GROUP_PREFIX.name(), "streamops-replay-" + runId + "-");
        child.put(TopicNaming.PREFIX.name(), prefix);
        renames.forEach((declared, name) -> child.put(TopicNaming.RENAME.forName(declared), name));
        FlinkProcess.replay(home, workDir, child, timeout);
    }

    /**
     * Commits, for the replay's consumer group before it starts, the offset of each event input's first
     * record at or after {@code since} (the end, where there is none): Kafka Streams and Flink both
     * start a group from its committed offsets. Config inputs (policies) are read whole either way.
     */
    private static void startAt(
            Admin admin, String groupId, Workflow.Operator operator, TopicNaming naming, Instant since)
            throws Exception {
        List<String> inputs = operator.inputs().stream()
                .filter(t -> t.role() == TopicRole.EVENT)
                .map(t -> naming.resolve(t.name()))
                .toList();
        Map<TopicPartition, OffsetSpec> at = new HashMap<>();
        Map<TopicPartition, OffsetSpec> end = new HashMap<>();
        admin.describeTopics(inputs)
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .forEach((name, description) -> description.partitions().forEach(p -> {
                    at.put(new TopicPartition(name, p.partition()), OffsetSpec.forTimestamp(since.toEpochMilli()));
                    end.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
                }));
        var found = admin.listOffsets(at).all().get(30, TimeUnit.SECONDS);
        var ends = admin.listOffsets(end).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
        found.forEach((tp, info) -> start.put(
                tp,
                new OffsetAndMetadata(
                        info.offset() >= 0 ? info.offset() : ends.get(tp).offset())));
        admin.alterConsumerGroupOffsets(groupId, start).all().get(30, TimeUnit.SECONDS);
        LOG.info("Replay {} starts at {} (the first records at or after {})", groupId, start, since);
    }

    /**
     * Until a Kafka Streams application has processed its inputs to their current end: its committed
     * offsets reach the end of every input, then of what those inputs were repartitioned into (which is
     * committed with their offsets: read then, its end is all there will be).
     */
    public static void awaitStreamsCaughtUp(Admin admin, String applicationId, List<String> inputs, Duration timeout)
            throws Exception {
        awaitCaughtUp(admin, applicationId, inputs, timeout);
        List<String> repartitions = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(name -> name.startsWith(applicationId + "-") && name.endsWith("-repartition"))
                .toList();
        if (!repartitions.isEmpty()) {
            awaitCaughtUp(admin, applicationId, repartitions, timeout);
        }
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
        Poll.until("group " + groupId + " to commit the end of " + inputs, timeout, () -> {
            Map<TopicPartition, OffsetAndMetadata> committed;
            try {
                committed = admin.listConsumerGroupOffsets(groupId)
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                return false;
            }
            return ends.entrySet().stream()
                    .allMatch(e -> e.getValue().offset() == 0
                            || (committed.get(e.getKey()) != null
                                    && committed.get(e.getKey()).offset()
                                            >= e.getValue().offset()));
        });
    }

    /** Committed records of a topic from {@code fromMillis} on (by record timestamp: event time), counted by key. */
    private static Map<String, Integer> countByKey(KafkaClients kafka, String topic, long fromMillis) {
        Map<String, Integer> counts = new TreeMap<>();
        TopicView.readAll(kafka, topic, new StringDeserializer(), new ByteArrayDeserializer(), record -> {
            if (record.value() != null && record.timestamp() >= fromMillis) {
                counts.merge(String.valueOf(record.key()), 1, Integer::sum);
            }
        });
        return counts;
    }
}
