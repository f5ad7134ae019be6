package io.streamops.benchmarks.suite;

import io.streamops.broker.EmbeddedKafkaBroker;
import io.streamops.decisions.WriteBatch;
import io.streamops.events.WriteIntent;
import io.streamops.events.WriteOp;
import io.streamops.platform.actuator.ActuatorContext;
import io.streamops.platform.actuator.ActuatorRunner;
import io.streamops.platform.batching.JdbcSink;
import io.streamops.registry.RegistryServer;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.registry.CachedSchemaRegistryClient;
import io.streamops.schemas.registry.RestSchemaRegistryClient;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.TopicAdmin;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.wait.Poll;
import io.streamops.schemas.workflow.Workflows;
import io.streamops.topologies.batching.WriteBatchingOperator;
import io.streamops.topologies.runtime.StreamsRunner;
import io.streamops.workflows.batching.BatchingWorkflow;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Workflow 1 against the PostgreSQL server here: N counter increments over 1,000 hot rows written
 * one statement per event, with JDBC {@code addBatch}, and as intents through the write-batching
 * operator and the JDBC sink; then intent-to-visible latency, one probe at a time.
 */
final class BatchingPart implements Part {

    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final int KEYS = 1_000;

    @Override
    public String name() {
        return "batching";
    }

    @Override
    public String title() {
        return "Write batching: intents through the operator and the JDBC sink against direct writes";
    }

    @Override
    public String method() {
        return """
                N increments of a counter, spread round-robin over 1,000 rows of a fresh table, on the \
                PostgreSQL server of this machine. One statement per event: each an \
                INSERT ... ON CONFLICT DO UPDATE SET hits = hits + 1, autocommitted, on one connection. \
                addBatch: the same statement, executeBatch every 1,000 in one transaction (no coalescing). \
                Write batching: the intents produced (acks=all) to write-intents on an embedded broker, the \
                write-batching operator (exactly_once_v2, budget 200 ms) and the JDBC sink (behind the \
                actuator runner) in this JVM, timed from the first send until the table holds all N; its \
                statements are the sink's (ledger inserts included). Latency: then one probe intent at a \
                time (an upsert of a row of its own), from its send until a query sees its row, polled \
                every millisecond.""";
    }

    @Override
    public Result run(Bench bench) throws Exception {
        int events = bench.quick() ? 20_000 : 100_000;
        int probes = bench.quick() ? 50 : 200;
        Path dir = Files.createDirectories(bench.work().resolve("batching-" + System.nanoTime()));
        List<Figure> figures = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(JDBC, "postgres", "")) {
            String perEvent = fresh(db, "bench_hits_single");
            long t0 = System.nanoTime();
            try (PreparedStatement s = db.prepareStatement(increment(perEvent))) {
                for (int i = 0; i < events; i++) {
                    s.setString(1, "p" + (i % KEYS));
                    s.executeUpdate();
                }
            }
            double single = events / seconds(t0);
            check(db, perEvent, events);

            String batched = fresh(db, "bench_hits_addbatch");
            db.setAutoCommit(false);
            t0 = System.nanoTime();
            try (PreparedStatement s = db.prepareStatement(increment(batched))) {
                for (int i = 0; i < events; i++) {
                    s.setString(1, "p" + (i % KEYS));
                    s.addBatch();
                    if (i % 1000 == 999) {
                        s.executeBatch();
                        db.commit();
                    }
                }
                s.executeBatch();
                db.commit();
            }
            double addBatch = events / seconds(t0);
            db.setAutoCommit(true);
            check(db, batched, events);

            String table = fresh(db, "bench_hits_intents");
            Ours ours = intents(dir, db, table, events, probes);
            figures.add(Figure.of(name(), "one statement per event", single, "events/s", "higher"));
            figures.add(Figure.of(name(), "JDBC addBatch", addBatch, "events/s", "higher"));
            figures.add(Figure.of(name(), "write batching, intent to row", ours.rate(), "events/s", "higher")
                    .against("one statement per event", single));
            figures.add(Figure.of(name(), "write batching against addBatch", ours.rate(), "events/s", "higher")
                    .against("JDBC addBatch", addBatch));
            figures.add(Figure.of(name(), "statements issued, write batching", ours.statements(), "statements", "lower")
                    .against("one statement per event", events)
                    .target("at least 90 % fewer than one per event", ours.statements() <= events * 0.1));
            figures.add(Figure.of(name(), "intent to visible, p50", ours.p50(), "ms", "lower")
                    .target("within the 200 ms budget", ours.p50() <= 200));
            figures.add(Figure.of(name(), "intent to visible, p99", ours.p99(), "ms", "lower")
                    .target("p99 within the 200 ms budget", ours.p99() <= 200));
            for (String t : List.of(perEvent, batched, table)) {
                exec(db, "DROP TABLE IF EXISTS " + t);
            }
        }
        return new Result(
                figures,
                List.of(),
                List.of(String.format(
                        Locale.ROOT, "%,d increments over %,d rows; %d latency probes.", events, KEYS, probes)));
    }

    private record Ours(double rate, long statements, double p50, double p99) {}

    private static Ours intents(Path dir, Connection db, String table, int events, int probes) throws Exception {
        try (EmbeddedKafkaBroker broker =
                        EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Config.ephemeral(dir.resolve("kafka")));
                RegistryServer registryServer =
                        RegistryServer.start(RegistryServer.Config.defaults(broker.clients(), 0));
                Admin admin = broker.clients().admin("bench-batching")) {
            SchemaRegistryClient registry =
                    new CachedSchemaRegistryClient(new RestSchemaRegistryClient(registryServer.url()));
            TopicNaming naming = new TopicNaming("bench.", Map.of());
            TopicAdmin.createMissing(admin, naming.resolveAll(Workflows.topics()), (short) 1);
            TopicBinder binder = TopicBinder.of(registry, true, naming);
            Settings settings = Settings.of(Map.of(
                            TopicNaming.PREFIX.name(),
                            naming.prefix(),
                            BatchingWorkflow.TABLES.name(),
                            table,
                            "streamops.streams.application.prefix",
                            "streamops-bench-"))
                    .with(broker.clients().asSettings());
            JdbcSink sink = (JdbcSink) new JdbcSink.Factory()
                    .create(new ActuatorContext(settings, dir, Clock.systemUTC(), broker.clients(), binder));
            BoundTopic<String, WriteIntent> intents = binder.bind(BatchingWorkflow.INTENTS);
            try (StreamsRunner operator = new StreamsRunner(
                            new WriteBatchingOperator(),
                            StreamsRunner.Config.from(settings, dir.resolve("streams")),
                            binder,
                            settings,
                            registry);
                    ActuatorRunner<WriteBatch> applier = new ActuatorRunner<>(
                            new BatchingWorkflow().appliers().get(0),
                            sink,
                            broker.clients(),
                            binder,
                            "streamops-bench-",
                            Clock.systemUTC());
                    KafkaProducer<String, WriteIntent> producer = broker.clients()
                            .producer(
                                    "bench-intents",
                                    Map.of("acks", "all", "linger.ms", 5),
                                    intents.key().serializer(),
                                    intents.value().serializer())) {
                operator.start();
                operator.awaitRunning(Duration.ofMinutes(2));
                // Intent ids are unique across runs too: the sink's ledger in the database outlives the broker.
                String run = java.util.UUID.randomUUID().toString();
                long t0 = System.nanoTime();
                for (int i = 0; i < events; i++) {
                    producer.send(new ProducerRecord<>(
                            intents.name(),
                            null,
                            intent(table, run + "-" + i, "p" + (i % KEYS), WriteOp.INCREMENT, "hits", "1")));
                }
                producer.flush();
                Poll.until("the table to hold every increment", Duration.ofMinutes(10), () -> {
                    try {
                        return sum(db, table) == events;
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                double rate = events / seconds(t0);
                long statements = sink.statements();
                Histogram latency = new Histogram(3);
                for (int i = 0; i < probes; i++) {
                    String row = "probe" + i;
                    long sent = System.nanoTime();
                    producer.send(new ProducerRecord<>(
                            intents.name(),
                            null,
                            intent(table, run + "-probe-" + i, row, WriteOp.UPSERT, "hits", "0")));
                    producer.flush();
                    long deadline = sent + Duration.ofSeconds(30).toNanos();
                    while (!exists(db, table, row)) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("probe " + row + " not visible after 30 s");
                        }
                        Thread.sleep(1);
                    }
                    latency.recordValue((System.nanoTime() - sent) / 1_000);
                }
                return new Ours(
                        rate,
                        statements,
                        latency.getValueAtPercentile(50) / 1000.0,
                        latency.getValueAtPercentile(99) / 1000.0);
            }
        }
    }

    private static WriteIntent intent(String table, String id, String page, WriteOp op, String column, String value) {
        return WriteIntent.newBuilder()
                .setEventId(id)
                .setOccurredAt(Instant.now())
                .setTable(table)
                .setOp(op)
                .setKey(Map.of("page", page))
                .setValues(Map.of(column, value))
                .build();
    }

    private static String increment(String table) {
        return "INSERT INTO " + table + " (page, hits) VALUES (?, 1) ON CONFLICT (page) DO UPDATE SET hits = " + table
                + ".hits + 1";
    }

    private static String fresh(Connection db, String name) throws SQLException {
        String table = "public." + name;
        exec(db, "DROP TABLE IF EXISTS " + table);
        exec(db, "CREATE TABLE " + table + " (page text PRIMARY KEY, hits bigint NOT NULL)");
        return table;
    }

    private static void check(Connection db, String table, long events) throws SQLException {
        if (sum(db, table) != events) {
            throw new IllegalStateException(table + " holds " + sum(db, table) + " of " + events);
        }
    }

    private static long sum(Connection db, String table) throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet r = s.executeQuery(
                        "SELECT coalesce(sum(hits), 0) FROM " + table + " WHERE page NOT LIKE 'probe%'")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static boolean exists(Connection db, String table, String page) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT 1 FROM " + table + " WHERE page = ?")) {
            s.setString(1, page);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static void exec(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
