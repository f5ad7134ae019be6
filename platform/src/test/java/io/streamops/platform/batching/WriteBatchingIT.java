package io.streamops.platform.batching;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.common.DeadLetter;
import io.streamops.common.Mode;
import io.streamops.common.OutcomeStatus;
import io.streamops.common.PolicyRef;
import io.streamops.decisions.WriteBatch;
import io.streamops.decisions.WriteRow;
import io.streamops.events.WriteIntent;
import io.streamops.events.WriteOp;
import io.streamops.platform.actuator.ActuatorContext;
import io.streamops.platform.actuator.ActuatorRunner;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.decision.Decisions;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.wait.Poll;
import io.streamops.schemas.workflow.Workflows;
import io.streamops.testkit.Directories;
import io.streamops.testkit.TestStack;
import io.streamops.testkit.TopicReader;
import io.streamops.topologies.batching.WriteBatchingOperator;
import io.streamops.topologies.runtime.StreamsRunner;
import io.streamops.workflows.batching.BatchingWorkflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workflow 1 on the real broker and PostgreSQL: intents through the operator and the JDBC sink into
 * a table, exactly; a connection killed in the middle of a batch's transaction; a row the database
 * refuses.
 */
class WriteBatchingIT {

    private static final TestStack STACK = TestStack.shared();
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    private String run;
    private String table;
    private TopicNaming naming;
    private TopicBinder binder;
    private Settings settings;
    private Path dir;
    private Connection db;

    @BeforeEach
    void start() throws Exception {
        run = UUID.randomUUID().toString().substring(0, 8);
        table = "public.batching_it_" + run;
        naming = new TopicNaming("batching-it-" + run + ".", Map.of());
        binder = TopicBinder.of(STACK.registry(), true, naming);
        STACK.createTopics(naming.resolveAll(Workflows.topics()));
        dir = Files.createTempDirectory("batching-it");
        db = DriverManager.getConnection(JDBC, "postgres", "");
        sql("CREATE TABLE " + table + " (page text PRIMARY KEY, hits bigint NOT NULL CHECK (hits >= 0), title text)");
        settings = Settings.of(Map.of(
                        TopicNaming.PREFIX.name(),
                        naming.prefix(),
                        BatchingWorkflow.TABLES.name(),
                        table,
                        "streamops.streams.application.prefix",
                        "streamops-batching-it-" + run + "-"))
                .with(STACK.settings());
    }

    @AfterEach
    void stop() throws Exception {
        sql("DROP TABLE IF EXISTS " + table);
        db.close();
        Directories.deleteQuietly(dir);
    }

    @Test
    void intentsReachTheTableExactlyWithFarFewerStatementsThanIntents() throws Exception {
        JdbcSink sink = sink();
        BoundTopic<String, WriteIntent> intents = binder.bind(BatchingWorkflow.INTENTS);
        try (KafkaProducer<String, WriteIntent> producer = STACK.kafka()
                .producer(
                        "batching-it",
                        Map.of("acks", "all", "linger.ms", 5),
                        intents.key().serializer(),
                        intents.value().serializer())) {
            for (int i = 0; i < 2_000; i++) {
                // Keyed by producer, not by row: the operator brings each row's intents together.
                producer.send(new ProducerRecord<>(
                        intents.name(),
                        "producer-" + (i % 7),
                        intent(i, WriteOp.INCREMENT, "p" + (i % 20), Map.of("hits", "1"))));
            }
            producer.send(new ProducerRecord<>(
                    intents.name(), "x", intent(9_999, WriteOp.UPSERT, "p3", Map.of("title", "Page three"))));
        }
        // The intents wait in the topic and windows are half a second: how many batches they make does
        // not hang on how fast this machine lets the producer and the operator run side by side.
        Settings slow = settings.with(Map.of(BatchingWorkflow.BUDGET.name(), "2s"));
        try (StreamsRunner operator = new StreamsRunner(
                        new WriteBatchingOperator(),
                        StreamsRunner.Config.from(slow, dir.resolve("streams")),
                        binder,
                        slow,
                        STACK.registry());
                ActuatorRunner<WriteBatch> applier = new ActuatorRunner<>(
                        new BatchingWorkflow().appliers().get(0),
                        sink,
                        STACK.kafka(),
                        binder,
                        "batching-it-" + run + "-",
                        Clock.systemUTC())) {
            operator.start();
            operator.awaitRunning(TIMEOUT);

            Poll.until("every row to hold its 100 hits", TIMEOUT, () -> sum() == 2_000 && rows() == 20);
            assertThat(count("SELECT count(*) FROM " + table + " WHERE hits <> 100"))
                    .isZero();
            Poll.until(
                    "the title",
                    TIMEOUT,
                    () -> count("SELECT count(*) FROM " + table + " WHERE title = 'Page three'") == 1);
            // One ledger insert and one upsert per batch: far fewer than one statement per intent.
            assertThat(sink.statements()).isLessThan(2_001 / 10);
            // Outcomes are committed after the rows: polled, not read at once.
            Poll.until(
                    "the outcomes of the batches",
                    TIMEOUT,
                    () -> applier.counts().getOrDefault(OutcomeStatus.APPLIED, 0L) > 0);
        }
    }

    @Test
    void aConnectionKilledInTheMiddleOfABatchAppliesNoneOfItAndTheBatchIsAppliedOnceOnANewOne() throws Exception {
        JdbcSink sink = sink();
        sql("INSERT INTO " + table + " VALUES ('p1', 10, null)");
        WriteBatch batch = batch("crash", row("p0", Map.of("hits", "5")), row("p1", Map.of("hits", "5")));
        // A lock the batch's upsert waits on, so that its transaction is open (p0 written, uncommitted) when killed.
        CompletableFuture<String> applying;
        try (Connection holder = DriverManager.getConnection(JDBC, "postgres", "")) {
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.execute("SELECT * FROM " + table + " WHERE page = 'p1' FOR UPDATE");
            }
            applying = CompletableFuture.supplyAsync(() -> {
                try {
                    return sink.apply("t", batch);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long killed = Poll.value("the sink's transaction to wait on the lock", TIMEOUT, () -> theWaiting(-1));
            sql("SELECT pg_terminate_backend(" + killed + ")");

            // The killed session may still be listed for a moment, and the retry waits out a backoff first.
            Poll.value("the sink to try again on a new connection", TIMEOUT, () -> theWaiting(killed));
            assertThat(sink.retries()).isPositive();
            assertThat(count("SELECT count(*) FROM " + JdbcSink.LEDGER + " WHERE decision_id = '"
                            + batch.getEnvelope().getDecisionId() + "'"))
                    .as("the killed transaction left no trace")
                    .isZero();
            // Closing the holder (also when an assertion fails) ends its transaction and releases the lock.
        }

        assertThat(applying.join()).contains("2 rows");
        assertThat(sink.apply("t", batch)).as("delivered again").contains("already applied");
        assertThat(count("SELECT hits FROM " + table + " WHERE page = 'p0'")).isEqualTo(5);
        assertThat(count("SELECT hits FROM " + table + " WHERE page = 'p1'")).isEqualTo(15);
        sink.close();
    }

    @Test
    void aRowTheDatabaseRefusesGoesToTheDeadLetterTopicWithItsMessageAndTheRestCommit() throws Exception {
        JdbcSink sink = sink();
        WriteBatch batch = batch("refused", row("ok", Map.of("hits", "3")), row("negative", Map.of("hits", "-4")));

        assertThat(sink.apply("t", batch)).contains("1 of 2 rows written").contains("1 refused");

        assertThat(count("SELECT hits FROM " + table + " WHERE page = 'ok'")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM " + table + " WHERE page = 'negative'"))
                .isZero();
        BoundTopic<String, DeadLetter> dlq = binder.bind(BatchingWorkflow.REJECTED_ROWS);
        try (TopicReader<String, DeadLetter> reader = new TopicReader<>(
                STACK.kafka(), dlq.name(), dlq.key().deserializer(), dlq.value().deserializer())) {
            assertThat(reader.readUntil(TIMEOUT, all -> !all.isEmpty()))
                    .singleElement()
                    .satisfies(r -> {
                        assertThat(r.key()).contains("negative");
                        assertThat(r.value().getReason()).contains("23514").contains("check constraint");
                        assertThat(r.value().getOperator()).isEqualTo(BatchingWorkflow.SINK);
                    });
        }
        sink.close();
    }

    private JdbcSink sink() throws Exception {
        return (JdbcSink) new JdbcSink.Factory()
                .create(new ActuatorContext(settings, dir, Clock.systemUTC(), STACK.kafka(), binder));
    }

    private WriteIntent intent(int i, WriteOp op, String page, Map<String, String> values) {
        return WriteIntent.newBuilder()
                .setEventId("w-" + run + "-" + i)
                .setOccurredAt(AT)
                .setTable(table)
                .setOp(op)
                .setKey(Map.of("page", page))
                .setValues(new HashMap<>(values))
                .build();
    }

    private static WriteRow row(String page, Map<String, String> add) {
        return new WriteRow(new HashMap<>(Map.of("page", page)), false, new HashMap<>(), new HashMap<>(add), 1);
    }

    private WriteBatch batch(String name, WriteRow... rows) {
        return WriteBatch.newBuilder()
                .setEnvelope(Decisions.envelope(
                        BatchingWorkflow.OPERATOR,
                        new PolicyRef("coalesce-by-row", 1),
                        Mode.ENFORCE,
                        AT,
                        AT,
                        Decisions.evidence(name).build(),
                        run + name))
                .setTable(table)
                .setKeyColumns(new ArrayList<>(List.of("page")))
                .setRows(new ArrayList<>(List.of(rows)))
                .setCoalescedEvents(rows.length)
                .build();
    }

    /** The one session whose upsert into the table waits on a lock, if it is not {@code other}; else null. */
    private Long theWaiting(long other) {
        List<Long> pids = new ArrayList<>();
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND query LIKE 'INSERT INTO \"public\".\"batching_it_" + run + "\"%'")) {
            while (r.next()) {
                pids.add(r.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return pids.size() == 1 && pids.get(0) != other ? pids.get(0) : null;
    }

    private long sum() {
        return count("SELECT coalesce(sum(hits), 0) FROM " + table);
    }

    private long rows() {
        return count("SELECT count(*) FROM " + table);
    }

    private long count(String query) {
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    private void sql(String statement) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(statement);
        }
    }
}
