package io.streamops.platform.batching;

import com.google.auto.service.AutoService;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.streamops.common.DeadLetter;
import io.streamops.decisions.WriteBatch;
import io.streamops.decisions.WriteRow;
import io.streamops.platform.actuator.Actuator;
import io.streamops.platform.actuator.ActuatorContext;
import io.streamops.platform.actuator.ActuatorFactory;
import io.streamops.schemas.decision.DeadLetters;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.workflows.batching.BatchingWorkflow;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workflow 1's actuator: applies each write batch to PostgreSQL in one transaction, with its
 * decision id recorded in that same transaction ({@value #LEDGER}), so a batch delivered again after
 * a crash finds its id and is not applied twice, and one whose transaction did not commit is applied
 * in full when it comes again. When the database refuses the batch, each row is tried on its own
 * (a savepoint each): a refused row goes to {@code dlq.jdbc-sink} with the database's message, and
 * the rest commit.
 */
public final class JdbcSink implements Actuator<WriteBatch> {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);

    static final String LEDGER = "streamops_jdbc_sink_applied";

    private final DataSource database;
    private final AutoCloseable closePool;
    private final KafkaProducer<String, DeadLetter> rejects;
    private final String rejectTopic;
    private final String decisionTopic;
    private final Clock clock;
    private final AtomicLong statements = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile boolean ledgerReady;
    private volatile boolean closed;

    JdbcSink(
            DataSource database,
            AutoCloseable closePool,
            KafkaProducer<String, DeadLetter> rejects,
            String rejectTopic,
            String decisionTopic,
            Clock clock) {
        this.database = database;
        this.closePool = closePool;
        this.rejects = rejects;
        this.rejectTopic = rejectTopic;
        this.decisionTopic = decisionTopic;
        this.clock = clock;
    }

    /** The ledger, made at the first batch (the database need not be up when the platform starts). */
    private void ensureLedger(Connection c) throws SQLException {
        if (ledgerReady) {
            return;
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + LEDGER
                    + " (decision_id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
            // As long as the decision topic keeps a batch, its id is kept: nothing older can come again.
            s.execute("DELETE FROM " + LEDGER + " WHERE applied_at < now() - interval '31 days'");
        }
        c.commit();
        ledgerReady = true;
    }

    @AutoService(ActuatorFactory.class)
    public static final class Factory implements ActuatorFactory<WriteBatch> {
        @Override
        public Workflow.Applier applier() {
            return new BatchingWorkflow().appliers().get(0);
        }

        @Override
        public Actuator<WriteBatch> create(ActuatorContext context) throws Exception {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(context.settings().get(BatchingWorkflow.JDBC_URL));
            config.setUsername(context.settings().get(BatchingWorkflow.JDBC_USER));
            config.setPassword(context.settings().get(BatchingWorkflow.JDBC_PASSWORD));
            config.setMaximumPoolSize(2);
            config.setPoolName("streamops-jdbc-sink");
            // Started without the database, it waits for it at the first batch.
            config.setInitializationFailTimeout(-1);
            // Text parameters go untyped: PostgreSQL casts each to its column's type.
            config.addDataSourceProperty("stringtype", "unspecified");
            HikariDataSource pool = new HikariDataSource(config);
            BoundTopic<String, DeadLetter> dlq = context.topics().bind(BatchingWorkflow.REJECTED_ROWS);
            KafkaProducer<String, DeadLetter> producer = context.kafka()
                    .producer(
                            "streamops-jdbc-sink-rejects",
                            Map.of("acks", "all", "enable.idempotence", true),
                            dlq.key().serializer(),
                            dlq.value().serializer());
            return new JdbcSink(
                    pool,
                    pool,
                    producer,
                    dlq.name(),
                    context.topics().bind(BatchingWorkflow.DECISIONS).name(),
                    context.clock());
        }
    }

    /**
     * Applies the batch, waiting out a database that is down or restarting (and a connection killed
     * mid-transaction, which applied nothing) with a capped backoff: writes are held back, not
     * dropped. Only a refusal of the rows themselves ends it otherwise.
     */
    @Override
    public String apply(String key, WriteBatch batch) throws Exception {
        long backoff = 100;
        while (true) {
            try {
                return once(batch);
            } catch (SQLException e) {
                if (!retriable(e) || closed) {
                    throw e;
                }
                retries.incrementAndGet();
                LOG.warn(
                        "Batch {} waits for the database ({}): {}",
                        batch.getEnvelope().getDecisionId(),
                        e.getSQLState(),
                        e.getMessage());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    /** Connection failures, a server shutting down or killing the session, serialization failures, deadlocks. */
    static boolean retriable(SQLException e) {
        String state = e.getSQLState();
        return state == null
                || state.startsWith("08")
                || state.startsWith("57P")
                || state.equals("40001")
                || state.equals("40P01")
                || state.equals("53300");
    }

    private String once(WriteBatch batch) throws SQLException {
        String id = batch.getEnvelope().getDecisionId();
        List<BatchStatements.Statement> planned = BatchStatements.of(batch);
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            ensureLedger(c);
            try {
                if (!claim(c, id)) {
                    c.rollback();
                    return "already applied (its id is in " + LEDGER + ")";
                }
                for (BatchStatements.Statement statement : planned) {
                    execute(c, statement);
                }
                c.commit();
                return String.format(
                        "%d rows (%d intents) written to %s in %d statements",
                        batch.getRows().size(), batch.getCoalescedEvents(), batch.getTable(), planned.size());
            } catch (SQLException refused) {
                if (retriable(refused)) {
                    throw refused;
                }
                c.rollback();
                return rowByRow(c, batch, id, refused);
            }
        }
    }

    /** The batch again, each row in a savepoint of its own: the refused ones go to the dead-letter topic. */
    private String rowByRow(Connection c, WriteBatch batch, String id, SQLException refused) throws SQLException {
        if (!claim(c, id)) {
            c.rollback();
            return "already applied (its id is in " + LEDGER + ")";
        }
        List<ProducerRecord<String, DeadLetter>> letters = new ArrayList<>();
        for (WriteRow row : batch.getRows()) {
            Savepoint before = c.setSavepoint();
            try {
                for (BatchStatements.Statement s :
                        BatchStatements.of(batch.getTable(), batch.getKeyColumns(), List.of(row))) {
                    execute(c, s);
                }
                c.releaseSavepoint(before);
            } catch (SQLException e) {
                if (retriable(e)) {
                    throw e;
                }
                c.rollback(before);
                letters.add(reject(batch, row, e));
            }
        }
        // The rejects are written before the rows commit: a crash between the two sends them again with the batch.
        for (ProducerRecord<String, DeadLetter> letter : letters) {
            try {
                rejects.send(letter).get();
            } catch (Exception e) {
                c.rollback();
                throw new SQLException("cannot write the refused rows to " + rejectTopic + ": " + e, e);
            }
        }
        c.commit();
        return String.format(
                "%d of %d rows written to %s, %d refused by the database (to %s; first: %s)",
                batch.getRows().size() - letters.size(),
                batch.getRows().size(),
                batch.getTable(),
                letters.size(),
                rejectTopic,
                refused.getMessage());
    }

    private ProducerRecord<String, DeadLetter> reject(WriteBatch batch, WriteRow row, SQLException e) {
        String key = batch.getTable() + new TreeMap<>(row.getKey());
        DeadLetter letter = DeadLetters.of(
                BatchingWorkflow.SINK,
                decisionTopic,
                -1,
                -1,
                batch.getEnvelope().getDecisionTime(),
                key.getBytes(StandardCharsets.UTF_8),
                row.toString().getBytes(StandardCharsets.UTF_8),
                "PostgreSQL refused this row of batch " + batch.getEnvelope().getDecisionId() + " (" + e.getSQLState()
                        + "): " + e.getMessage(),
                e,
                clock.instant());
        return new ProducerRecord<>(rejectTopic, key, letter);
    }

    private boolean claim(Connection c, String decisionId) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("INSERT INTO " + LEDGER + " (decision_id) VALUES (?) ON CONFLICT DO NOTHING")) {
            s.setString(1, decisionId);
            statements.incrementAndGet();
            return s.executeUpdate() == 1;
        }
    }

    private void execute(Connection c, BatchStatements.Statement statement) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(statement.sql())) {
            for (int i = 0; i < statement.parameters().size(); i++) {
                s.setString(i + 1, statement.parameters().get(i));
            }
            statements.incrementAndGet();
            s.executeUpdate();
        }
    }

    /** Statements sent to the database since start, the ledger's included. */
    public long statements() {
        return statements.get();
    }

    /** Attempts that met a database that was down or killed the session. */
    long retries() {
        return retries.get();
    }

    @Override
    public void close() {
        closed = true;
        rejects.close();
        try {
            closePool.close();
        } catch (Exception e) {
            // Closing a pool only releases connections.
        }
    }
}
