package io.streamops.topologies.batching;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.batching.PendingRow;
import io.streamops.common.DeadLetter;
import io.streamops.common.Mode;
import io.streamops.decisions.WriteBatch;
import io.streamops.decisions.WriteRow;
import io.streamops.events.WriteIntent;
import io.streamops.events.WriteOp;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.testing.InMemorySchemaRegistry;
import io.streamops.topologies.runtime.StreamsRunner;
import io.streamops.workflows.batching.BatchingWorkflow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBatchingTopologyTest {

    private static final Instant BEGINNING = Instant.parse("2026-12-01T10:00:00Z");
    private static final Set<String> TABLES = Set.of("public.page_hits", "public.carts");
    private static final WriteBatchingConfig CONFIG =
            new WriteBatchingConfig(Mode.ENFORCE, Duration.ofMillis(200), 1000, TABLES);

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final TopicBinder topics = TopicBinder.of(registry);
    private TopologyTestDriver driver;
    private TestInputTopic<String, WriteIntent> intents;
    private TestOutputTopic<String, WriteBatch> batches;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private int ids;

    private void start(WriteBatchingConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        WriteBatchingTopology.build(builder, config, topics);
        driver = new TopologyTestDriver(
                builder.build(),
                StreamsRunner.testProperties(new WriteBatchingOperator(), stateDir, topics, registry),
                BEGINNING);
        BoundTopic<String, WriteIntent> in = topics.bind(BatchingWorkflow.INTENTS);
        intents = driver.createInputTopic(
                in.name(), new StringSerializer(), in.value().serializer());
        BoundTopic<String, WriteBatch> out = topics.bind(BatchingWorkflow.DECISIONS);
        batches = driver.createOutputTopic(
                out.name(), out.key().deserializer(), out.value().deserializer());
        BoundTopic<String, DeadLetter> dlq = topics.bind(BatchingWorkflow.DEAD_LETTERS);
        deadLetters = driver.createOutputTopic(
                dlq.name(), dlq.key().deserializer(), dlq.value().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void eachRowsIntentsBecomeOneRowOfTheTablesBatchAtTheWindowsEnd() {
        start(CONFIG);
        for (int i = 0; i < 10; i++) {
            write("page_hits", WriteOp.INCREMENT, Map.of("page", i % 2 == 0 ? "home" : "about"), Map.of("hits", "1"));
        }
        write("page_hits", WriteOp.UPSERT, Map.of("page", "home"), Map.of("title", "Home"));

        assertThat(batches.isEmpty()).as("nothing before the window ends").isTrue();
        driver.advanceWallClockTime(CONFIG.window());

        List<KeyValue<String, WriteBatch>> decided = batches.readKeyValuesToList();
        assertThat(decided).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("public.page_hits");
            WriteBatch batch = kv.value;
            assertThat(batch.getCoalescedEvents()).isEqualTo(11);
            assertThat(batch.getKeyColumns()).containsExactly("page");
            assertThat(batch.getRows())
                    .extracting(r -> r.getKey().get("page"), WriteRow::getAdd, WriteRow::getSet, WriteRow::getIntents)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(
                                    "home", Map.of("hits", "5"), Map.of("title", "Home"), 6),
                            org.assertj.core.groups.Tuple.tuple("about", Map.of("hits", "5"), Map.of(), 5));
            assertThat(batch.getEnvelope().getMode()).isEqualTo(Mode.ENFORCE);
            assertThat(batch.getEnvelope().getEvidence().getMeasurements())
                    .containsEntry("intents", 11.0)
                    .containsEntry("rows", 2.0);
            assertThat(batch.getEnvelope().getEvidence().getInputs()).hasSize(CoalesceRows.SAMPLES);
            assertThat(batch.getEnvelope().getEvidence().getSummary()).contains("11 intents coalesced into 2 rows");
        });
        KeyValueStore<String, PendingRow> pending = driver.getKeyValueStore(WriteBatchingTopology.STORE);
        try (var all = pending.all()) {
            assertThat(all.hasNext()).as("the store is emptied by the flush").isFalse();
        }
        driver.advanceWallClockTime(CONFIG.window());
        assertThat(batches.isEmpty()).as("an empty window decides nothing").isTrue();
    }

    @Test
    void eachTableGetsItsOwnBatchAndABigWindowIsCutAtMaxRowsUnderIdsOfTheirOwn() {
        start(new WriteBatchingConfig(Mode.ENFORCE, Duration.ofMillis(200), 2, TABLES));
        for (int i = 0; i < 5; i++) {
            write("page_hits", WriteOp.INCREMENT, Map.of("page", "p" + i), Map.of("hits", "1"));
        }
        write("carts", WriteOp.DELETE, Map.of("id", "9"), Map.of());
        driver.advanceWallClockTime(CONFIG.window());

        List<KeyValue<String, WriteBatch>> decided = batches.readKeyValuesToList();
        assertThat(decided)
                .extracting(kv -> kv.key, kv -> kv.value.getRows().size())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("public.carts", 1),
                        org.assertj.core.groups.Tuple.tuple("public.page_hits", 2),
                        org.assertj.core.groups.Tuple.tuple("public.page_hits", 2),
                        org.assertj.core.groups.Tuple.tuple("public.page_hits", 1));
        assertThat(decided.stream()
                        .map(kv -> kv.value.getEnvelope().getDecisionId())
                        .distinct())
                .hasSize(4);
        assertThat(decided.stream()
                        .filter(kv -> kv.key.equals("public.carts"))
                        .findFirst()
                        .orElseThrow()
                        .value
                        .getRows()
                        .get(0)
                        .getDelete())
                .isTrue();
    }

    @Test
    void anIntentTheDatabaseCannotBeAskedToMakeGoesToTheDeadLetterTopicAndTheRestGoOn() {
        start(new WriteBatchingConfig(Mode.ENFORCE, Duration.ofMillis(200), 1000, Set.of("public.page_hits")));
        write("page_hits", WriteOp.INCREMENT, Map.of("page", "home"), Map.of("hits", "lots"));
        write("users", WriteOp.DELETE, Map.of("id", "1"), Map.of());
        write("page_hits", WriteOp.INCREMENT, Map.of("page", "home"), Map.of("hits", "2"));
        driver.advanceWallClockTime(CONFIG.window());

        assertThat(deadLetters.readValuesToList())
                .extracting(DeadLetter::getReason)
                .satisfiesExactly(
                        r -> assertThat(r).contains("not a number"),
                        r -> assertThat(r).contains("public.users is not among streamops.batching.tables"));
        assertThat(batches.readValue().getCoalescedEvents()).isEqualTo(1);
    }

    @Test
    void theSameIntentsMakeTheSameBatchIdAndOthersAtTheSameOffsetsAnother() {
        List<String> batchIds = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            // Runs 0 and 1 write the same intent; run 2 another (its own id) at the same offset of a new topic.
            ids = run < 2 ? 0 : 100;
            start(CONFIG);
            write("page_hits", WriteOp.INCREMENT, Map.of("page", "home"), Map.of("hits", "1"));
            driver.advanceWallClockTime(CONFIG.window());
            batchIds.add(batches.readValue().getEnvelope().getDecisionId());
            if (run < 2) {
                driver.close();
            }
        }
        assertThat(batchIds.get(0)).isEqualTo(batchIds.get(1));
        assertThat(batchIds.get(2)).isNotEqualTo(batchIds.get(0));
    }

    private void write(String table, WriteOp op, Map<String, String> key, Map<String, String> values) {
        intents.pipeInput(
                "producer-key",
                WriteIntent.newBuilder()
                        .setEventId("w" + ids++)
                        .setOccurredAt(BEGINNING.plusMillis(ids))
                        .setTable(table)
                        .setOp(op)
                        .setKey(new HashMap<>(key))
                        .setValues(new HashMap<>(values))
                        .build());
    }
}
