package io.streamops.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.streamops.common.DeadLetter;
import io.streamops.events.DbChange;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.Topics;
import io.streamops.schemas.wait.Poll;
import io.streamops.testkit.Directories;
import io.streamops.testkit.TestStack;
import io.streamops.testkit.TopicReader;
import io.streamops.workflows.cache.CaptureKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture against the real PostgreSQL of the machine (wal_level=logical: scripts/setup-postgres.sh)
 * and the test broker. Each test has a table, topics and a slot of its own, and drops the slot and
 * publication at the end so that nothing holds WAL after it.
 */
class ChangeCaptureIT {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeCaptureIT.class);
    private static final TestStack STACK = TestStack.shared();
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private String table;
    private TopicNaming naming;
    private TopicBinder binder;
    private ChangeCapture.Config config;
    private Path dataDir;
    private Connection db;
    private final List<ChangeCapture> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        table = "capture_it_" + run;
        naming = new TopicNaming("capture-it-" + run + ".", Map.of());
        binder = TopicBinder.of(STACK.registry(), true, naming);
        STACK.createTopics(naming.resolve(Topics.DB_CHANGES), naming.resolve(CaptureKeys.DEAD_LETTERS));
        dataDir = Files.createTempDirectory("change-capture-it");
        db = DriverManager.getConnection(JDBC, "postgres", "");
        sql("CREATE TABLE public." + table + " (id int PRIMARY KEY, email text NOT NULL, plan text NOT NULL)");
        // Complete before images of updates and deletes.
        sql("ALTER TABLE public." + table + " REPLICA IDENTITY FULL");
        config = ChangeCapture.Config.from(
                Settings.of(Map.of(
                        CaptureKeys.TABLES.name(), "public." + table, TopicNaming.PREFIX.name(), naming.prefix())),
                dataDir);
        assertThat(config.slot()).isEqualTo("streamops_capture_it_" + run);
    }

    @AfterEach
    void tearDown() throws Exception {
        started.forEach(ChangeCapture::close);
        ChangeCapture.retire(config, TIMEOUT);
        sql("DROP TABLE IF EXISTS public." + table);
        db.close();
        Directories.deleteQuietly(dataDir);
    }

    @Test
    void insertsUpdatesAndDeletesArriveInCommitOrderWithTheirImages() throws Exception {
        ChangeCapture capture = start();

        db.setAutoCommit(false);
        sql("INSERT INTO public." + table + " VALUES (1, 'ada@example.com', 'free'), (2, 'bob@example.com', 'free')");
        db.commit();
        db.setAutoCommit(true);
        sql("UPDATE public." + table + " SET plan = 'pro' WHERE id = 1");
        sql("DELETE FROM public." + table + " WHERE id = 2");

        List<ConsumerRecord<String, DbChange>> records = readUntil(r -> r.size() >= 4);
        List<DbChange> changes = inLogOrder(records);
        String qualified = "public." + table;
        assertThat(changes)
                .extracting(c -> c.getOp() + " " + c.getPrimaryKey() + " " + sorted(c.getBefore()) + " -> "
                        + sorted(c.getAfter()))
                .containsExactly(
                        "CREATE {id=1} null -> {email=ada@example.com, id=1, plan=free}",
                        "CREATE {id=2} null -> {email=bob@example.com, id=2, plan=free}",
                        "UPDATE {id=1} {email=ada@example.com, id=1, plan=free} -> {email=ada@example.com, id=1, plan=pro}",
                        "DELETE {id=2} {email=bob@example.com, id=2, plan=free} -> null");
        assertThat(changes).allSatisfy(c -> {
            assertThat(c.getSource().getConnector()).isEqualTo("postgresql");
            assertThat(c.getSource().getDatabase()).isEqualTo("postgres");
            assertThat(c.getSource().getSchema$() + "." + c.getSource().getTable())
                    .isEqualTo(qualified);
        });
        assertThat(changes.get(0).getSource().getTxId())
                .as("one transaction")
                .isEqualTo(changes.get(1).getSource().getTxId());
        assertThat(records)
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(qualified + ":1", qualified + ":2", qualified + ":1", qualified + ":2");
        assertThat(records.stream().map(r -> r.value().getEventId()).distinct()).hasSize(4);
        // Per row, Kafka holds the changes in the order they were committed.
        for (String key : List.of(qualified + ":1", qualified + ":2")) {
            List<Long> lsns = records.stream()
                    .filter(r -> r.key().equals(key))
                    .map(r -> r.value().getSource().getLsn())
                    .toList();
            assertThat(lsns).isSorted();
        }
        logLatency("the first changes after start", records);

        Poll.until("the counters to count 4", TIMEOUT, () -> capture.counters().captured() == 4);
        ChangeCapture.Counters counters = capture.counters();
        assertThat(counters.deadLettered()).isZero();
        assertThat(counters.lastLsn()).contains(changes.get(3).getSource().getLsn());
        assertThat(counters.failure()).isEmpty();

        // An event that does not map goes to the dead-letter topic, and is marked processed only then.
        List<String> marked = new ArrayList<>();
        capture.handleBatch(List.of(event("{\"id\":3}", "{not json")), committer(marked));
        assertThat(marked).containsExactly("{not json");
        try (TopicReader<String, DeadLetter> reader = new TopicReader<>(
                STACK.kafka(),
                naming.resolve(CaptureKeys.DEAD_LETTERS.name()),
                new StringDeserializer(),
                binder.bind(CaptureKeys.DEAD_LETTERS).value().deserializer())) {
            DeadLetter letter =
                    reader.readUntil(TIMEOUT, r -> !r.isEmpty()).get(0).value();
            assertThat(letter.getOperator()).isEqualTo(CaptureKeys.OPERATOR);
            assertThat(letter.getReason()).contains("change value is not JSON");
            assertThat(StandardCharsets.UTF_8.decode(letter.getValue()).toString())
                    .isEqualTo("{not json");
        }
        assertThat(capture.counters().deadLettered()).isEqualTo(1);
    }

    @Test
    void aStopAndRestartInTheMiddleNeitherLosesNorDuplicatesAChange() throws Exception {
        ChangeCapture first = start();
        insert(1, 5);
        Poll.until("the first five on Kafka", TIMEOUT, () -> first.counters().captured() == 5);

        long stopping = System.nanoTime();
        first.close();
        started.remove(first);
        LOG.info("Change capture stopped in {} ms", (System.nanoTime() - stopping) / 1_000_000);
        Poll.until("the slot released", TIMEOUT, () -> !slotExists(true));
        // Committed while nothing reads the slot: it keeps them.
        insert(6, 10);
        sql("UPDATE public." + table + " SET plan = 'pro' WHERE id = 1");

        ChangeCapture second = start();
        insert(11, 15);
        List<ConsumerRecord<String, DbChange>> records = readUntil(r -> r.size() >= 16);
        second.close();
        started.remove(second);
        // Read to the end once more: anything delivered twice would be there by now.
        records = readUntil(r -> r.size() >= 16);

        assertThat(records).hasSize(16);
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(r.value().getEventId()));
        assertThat(ids).as("no change twice").hasSize(16);
        List<String> expected = new ArrayList<>();
        IntStream.rangeClosed(1, 10).forEach(i -> expected.add("CREATE " + i));
        expected.add("UPDATE 1");
        IntStream.rangeClosed(11, 15).forEach(i -> expected.add("CREATE " + i));
        assertThat(inLogOrder(records))
                .extracting(c -> c.getOp() + " " + c.getPrimaryKey().get("id"))
                .containsExactlyElementsOf(expected);
        assertThat(second.counters().captured())
                .as("the second run wrote only the rest")
                .isEqualTo(11);
        logLatency(
                "single-row transactions on a running capture",
                records.stream()
                        .filter(r -> Integer.parseInt(r.value().getPrimaryKey().get("id")) > 10)
                        .toList());
    }

    private ChangeCapture start() throws Exception {
        ChangeCapture capture = ChangeCapture.start(config, STACK.kafka(), binder, Clock.systemUTC());
        started.add(capture);
        // Streaming once a walsender holds the slot: what is committed from then on is captured.
        Poll.until("capture streaming from slot " + config.slot(), Duration.ofSeconds(60), () -> {
            assertThat(capture.counters().failure()).isEmpty();
            return slotExists(true);
        });
        return capture;
    }

    private void insert(int from, int to) throws SQLException {
        for (int id = from; id <= to; id++) {
            sql("INSERT INTO public." + table + " VALUES (" + id + ", 'user" + id + "@example.com', 'free')");
        }
    }

    private List<ConsumerRecord<String, DbChange>> readUntil(Predicate<List<ConsumerRecord<String, DbChange>>> done) {
        BoundTopic<String, DbChange> topic = binder.bind(Topics.DB_CHANGES);
        try (TopicReader<String, DbChange> reader = new TopicReader<>(
                STACK.kafka(),
                topic.name(),
                new StringDeserializer(),
                topic.value().deserializer())) {
            reader.readUntil(TIMEOUT, done);
            return reader.readToEnd(TIMEOUT);
        }
    }

    private static String sorted(Map<String, String> row) {
        return row == null ? "null" : new TreeMap<>(row).toString();
    }

    /** Records of several partitions in the order of the log they were read from. */
    private static List<DbChange> inLogOrder(List<ConsumerRecord<String, DbChange>> records) {
        return records.stream()
                .map(ConsumerRecord::value)
                .sorted(Comparator.comparing(c -> c.getSource().getLsn()))
                .toList();
    }

    /** From commit in PostgreSQL (source ts_ms) to the record's timestamp on Kafka (its send). */
    private static void logLatency(String what, List<ConsumerRecord<String, DbChange>> records) {
        List<Long> millis = records.stream()
                .map(r -> r.timestamp() - r.value().getOccurredAt().toEpochMilli())
                .sorted()
                .toList();
        LOG.info("Commit to Kafka record, {}: {} ms", what, millis);
    }

    private boolean slotExists(boolean active) {
        try (PreparedStatement query = db.prepareStatement(
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?" + (active ? " AND active" : ""))) {
            query.setString(1, config.slot());
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getInt(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void sql(String statement) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(statement);
        }
    }

    private static ChangeEvent<String, String> event(String key, String value) {
        return new ChangeEvent<>() {
            @Override
            public String key() {
                return key;
            }

            @Override
            public String value() {
                return value;
            }

            @Override
            public String destination() {
                return "streamops.public.users";
            }

            @Override
            public Integer partition() {
                return null;
            }
        };
    }

    /** Records what is marked processed, by value. */
    private static DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer(List<String> marked) {
        return new DebeziumEngine.RecordCommitter<>() {
            @Override
            public void markProcessed(ChangeEvent<String, String> record) {
                marked.add(record.value());
            }

            @Override
            public void markBatchFinished() {}

            @Override
            public void markProcessed(ChangeEvent<String, String> record, DebeziumEngine.Offsets sourceOffsets) {
                marked.add(record.value());
            }

            @Override
            public DebeziumEngine.Offsets buildOffsets() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
