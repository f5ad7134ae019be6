package io.streamops.workflows.cache;

import io.streamops.common.DeadLetter;
import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.config.ConfigKey;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Workflow 2's database change stream: the keys of the capture that reads PostgreSQL's logical
 * replication (Debezium's PostgreSQL connector, pgoutput) and writes every row change of the
 * configured tables to {@code db-changes}. Its dead-letter topic is declared here too, for the
 * workflow's descriptor to list with its operator.
 */
public final class CaptureKeys {

    static final String PREFIX = "streamops.cache.capture.";

    /** The capture's name: its dead-letter topic, producer id and Debezium engine name derive from it. */
    public static final String OPERATOR = "db-capture";

    public static final Topic<String, DeadLetter> DEAD_LETTERS = Topics.deadLetters(OPERATOR);

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");

    public static final ConfigKey<Boolean> ENABLED = ConfigKey.bool(
            PREFIX + "enabled",
            false,
            "capture the row changes of the tables below from PostgreSQL's logical replication into db-changes "
                    + "(needs wal_level=logical; scripts/setup-postgres.sh sets it)");
    public static final ConfigKey<String> HOST = ConfigKey.string(PREFIX + "host", "127.0.0.1", "PostgreSQL host");
    public static final ConfigKey<Integer> PORT = ConfigKey.integer(PREFIX + "port", 5432, "PostgreSQL port")
            .check(p -> p > 0 && p < 65536, "must be a port number");
    public static final ConfigKey<String> DATABASE =
            ConfigKey.string(PREFIX + "database", "postgres", "the database whose tables are captured");
    public static final ConfigKey<String> USER = ConfigKey.string(
            PREFIX + "user",
            "postgres",
            "a user with the REPLICATION attribute that owns the tables (it creates the publication)");
    public static final ConfigKey<String> PASSWORD_FILE = ConfigKey.string(
                    PREFIX + "password.file",
                    null,
                    "a file holding the user's password (its first line); unset, none is sent (trust authentication)")
            .defaultDoc("(none)");
    public static final ConfigKey<List<String>> TABLES = ConfigKey.list(
                    PREFIX + "tables",
                    null,
                    "the tables to capture, schema.table, comma-separated; required when enabled. The publication "
                            + "holds exactly these; give each REPLICA IDENTITY FULL for complete before images")
            .check(
                    tables -> tables.stream().allMatch(CaptureKeys::isQualifiedTable),
                    "must be schema.table names, comma-separated")
            .defaultDoc("(none)");
    public static final ConfigKey<String> SLOT = ConfigKey.string(
                    PREFIX + "slot",
                    null,
                    "the replication slot, also the publication's name; two deployments on one database need their "
                            + "own. The slot keeps WAL until changes are on Kafka: drop it when capture is retired")
            .check(s -> SLOT_NAME.matcher(s).matches(), "must be 1 to 63 of a-z, 0-9 and _")
            .defaultDoc("streamops_<topic prefix>");
    public static final ConfigKey<Boolean> SNAPSHOT = ConfigKey.bool(
            PREFIX + "snapshot",
            false,
            "at the first start (no stored offsets), read every existing row as a READ change before streaming; "
                    + "false: only changes committed after the slot is created");

    public static final ConfigKey<Duration> POLL_INTERVAL = ConfigKey.duration(
                    PREFIX + "poll.interval",
                    Duration.ofMillis(10),
                    "how long the connector waits for more changes before it hands a batch over (Debezium's "
                            + "poll.interval.ms, 500ms by default there): bounds the delay from commit to db-changes")
            .check(d -> !d.isNegative() && !d.isZero(), "must be positive");

    private CaptureKeys() {}

    public static ConfigGroup group() {
        return ConfigGroup.of(
                "Database change capture (workflow 2)",
                PREFIX,
                ENABLED,
                HOST,
                PORT,
                DATABASE,
                USER,
                PASSWORD_FILE,
                TABLES,
                SLOT,
                SNAPSHOT,
                POLL_INTERVAL);
    }

    /**
     * The slot of a deployment whose topics carry {@code topicPrefix} ("prod." gives
     * streamops_prod): deployments that keep their topics apart keep their slots apart too.
     */
    public static String defaultSlot(String topicPrefix) {
        String suffix = topicPrefix
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]+", "_")
                .replaceAll("^_+|_+$", "");
        String slot = suffix.isEmpty() ? "streamops" : "streamops_" + suffix;
        return slot.length() > 63 ? slot.substring(0, 63) : slot;
    }

    static boolean isQualifiedTable(String name) {
        String[] parts = name.split("\\.", -1);
        return parts.length == 2
                && IDENTIFIER.matcher(parts[0]).matches()
                && IDENTIFIER.matcher(parts[1]).matches();
    }
}
