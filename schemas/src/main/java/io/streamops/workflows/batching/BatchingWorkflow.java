package io.streamops.workflows.batching;

import com.google.auto.service.AutoService;
import io.streamops.common.ActuationOutcome;
import io.streamops.common.DeadLetter;
import io.streamops.common.Mode;
import io.streamops.decisions.WriteBatch;
import io.streamops.events.WriteIntent;
import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.config.ConfigKey;
import io.streamops.schemas.topics.CleanupPolicy;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.Topics;
import io.streamops.schemas.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Workflow 1, write batching: services post the writes they want made as {@code WriteIntent}s; the
 * write-batching operator coalesces each row's intents over a window sized from the latency budget
 * and decides one {@code WriteBatch} per table and window; the JDBC sink applies each batch to
 * PostgreSQL in one transaction, exactly once per batch.
 */
@AutoService(Workflow.class)
public final class BatchingWorkflow implements Workflow {

    public static final String NAME = "batching";
    public static final String OPERATOR = "write-batching";
    public static final String SINK = "jdbc-sink";
    static final String PREFIX = "streamops.batching.";

    /** The writes services post; only this workflow reads them. */
    public static final Topic<String, WriteIntent> INTENTS = Topics.events(
            "write-intents",
            WriteIntent.class,
            6,
            Duration.ofDays(1),
            true,
            "Writes services want made to database rows (workflow 1), keyed by producers as they like: the operator"
                    + " re-keys them by row");

    public static final Topic<String, WriteBatch> DECISIONS = Topics.decisions(
            "write-batches",
            WriteBatch.class,
            CleanupPolicy.DELETE,
            "Workflow 1: the coalesced writes of one table from one window, keyed by table");
    public static final Topic<String, DeadLetter> DEAD_LETTERS = Topics.deadLetters(OPERATOR);
    public static final Topic<String, ActuationOutcome> OUTCOMES =
            Topics.outcomes("write-batches", "What the JDBC sink did with each write batch");
    /** Rows the database refused, with its message; the rest of their batch committed. */
    public static final Topic<String, DeadLetter> REJECTED_ROWS = Topics.deadLetters(SINK);

    public static final ConfigKey<Duration> BUDGET = ConfigKey.duration(
                    PREFIX + "budget",
                    Duration.ofMillis(200),
                    "the latency budget from an intent to its row visible: the operator flushes every quarter of it "
                            + "and commits as often, leaving half for the sink")
            .check(d -> d.toMillis() >= 20, "must be at least 20ms");
    public static final ConfigKey<Integer> MAX_ROWS = ConfigKey.integer(
                    PREFIX + "max.rows", 1000, "the most rows in one batch (a table's window with more gives several)")
            .check(n -> n >= 1, "must be at least 1");
    public static final ConfigKey<Mode> MODE = ConfigKey.enumValue(
            PREFIX + "mode",
            Mode.class,
            Mode.ENFORCE,
            "ENFORCE: the JDBC sink applies the batches; SHADOW: they are recorded and not applied (the writes are"
                    + " not made)");
    public static final ConfigKey<String> JDBC_URL = ConfigKey.string(
            PREFIX + "jdbc.url", "jdbc:postgresql://127.0.0.1:5432/postgres", "the database the JDBC sink writes to");
    public static final ConfigKey<String> JDBC_USER =
            ConfigKey.string(PREFIX + "jdbc.user", "postgres", "the JDBC sink's database user");
    public static final ConfigKey<String> JDBC_PASSWORD = ConfigKey.string(
                    PREFIX + "jdbc.password", "", "the JDBC sink's database password (from the environment or a file)")
            .secret();
    public static final ConfigKey<List<String>> TABLES = ConfigKey.list(
            PREFIX + "tables",
            "",
            "the tables intents may write (schema.table, or a name in schema public); an intent for another goes to the"
                    + " dead-letter topic. None until listed: producers name tables, and the sink writes what they name");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "Workflow 1: write batching";
    }

    @Override
    public String decides() {
        return "the coalesced writes of each table per window: each row once, increments summed, a delete first";
    }

    @Override
    public List<Topic<?, ?>> topics() {
        return List.of(INTENTS, DECISIONS, DEAD_LETTERS, OUTCOMES, REJECTED_ROWS);
    }

    @Override
    public ConfigGroup config() {
        return new ConfigGroup(
                "Write batching (workflow 1)",
                PREFIX,
                List.of(BUDGET, MAX_ROWS, MODE, JDBC_URL, JDBC_USER, JDBC_PASSWORD, TABLES));
    }

    @Override
    public List<Operator> operators() {
        return List.of(new Operator(
                OPERATOR,
                Engine.KAFKA_STREAMS,
                List.of(INTENTS),
                List.of(DECISIONS, DEAD_LETTERS),
                Optional.of(DEAD_LETTERS),
                List.of(new StateBound(
                        "write-batching-pending",
                        "the rows written since the last flush, emptied every quarter of " + BUDGET.name()))));
    }

    @Override
    public List<Applier> appliers() {
        return List.of(new Applier(SINK, Where.ACTUATOR, DECISIONS, Optional.of(OUTCOMES)));
    }
}
