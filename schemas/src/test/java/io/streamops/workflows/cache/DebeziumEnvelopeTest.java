package io.streamops.workflows.cache;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamops.events.DbChange;
import io.streamops.events.DbOp;
import io.streamops.events.DbSource;
import io.streamops.schemas.serde.MalformedRecordException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Debezium's JSON change events as DbChange records: what each shape maps to, and what is refused and why. */
class DebeziumEnvelopeTest {

    static final long COMMITTED = BEGINNING.toEpochMilli();
    static final long DELIVERED = COMMITTED + 250;
    static final String KEY = "{\"id\":7}";
    static final String ROW = "{\"id\":7,\"email\":\"ada@example.com\",\"plan\":\"free\"}";
    static final String ROW_PRO = "{\"id\":7,\"email\":\"ada@example.com\",\"plan\":\"pro\"}";

    /** A PostgreSQL connector's change value, as the embedded engine's Json format gives it without schemas. */
    static String change(String op, String before, String after, long lsn) {
        return """
                {"op":"%s","before":%s,"after":%s,
                 "source":{"version":"3.6.1.Final","connector":"postgresql","name":"streamops","ts_ms":%d,
                           "snapshot":"%s","db":"postgres","sequence":"[null,\\"%d\\"]","schema":"public",
                           "table":"users","txId":771,"lsn":%d,"xmin":null},
                 "ts_ms":%d,"transaction":null}""".formatted(op, before, after, COMMITTED, op.equals("r") ? "true" : "false", lsn, lsn, DELIVERED);
    }

    static DbChange.Builder expected(DbOp op, Map<String, String> before, Map<String, String> after, long lsn) {
        return DbChange.newBuilder()
                .setEventId("(ignored)")
                .setOp(op)
                .setBefore(before)
                .setAfter(after)
                .setSource(DbSource.newBuilder()
                        .setConnector("postgresql")
                        .setDatabase("postgres")
                        .setSchema$("public")
                        .setTable("users")
                        .setTxId(771L)
                        .setLsn(lsn)
                        .build())
                .setPrimaryKey(Map.of("id", "7"))
                .setOccurredAt(Instant.ofEpochMilli(COMMITTED));
    }

    static Map<String, String> row(String plan) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("id", "7");
        row.put("email", "ada@example.com");
        row.put("plan", plan);
        return row;
    }

    static Stream<Arguments> changes() {
        Map<String, String> types = new LinkedHashMap<>();
        types.put("id", "7");
        types.put("balance", "1234.50");
        types.put("ratio", "1.0E7");
        types.put("active", "true");
        types.put("tags", "[\"a\",\"b\"]");
        types.put("meta", "{\"k\":1}");
        types.put("note", null);
        return Stream.of(
                Arguments.of(
                        "an insert: no before image, the after image as text",
                        KEY,
                        change("c", "null", ROW, 100),
                        List.of(),
                        expected(DbOp.CREATE, null, row("free"), 100).build()),
                Arguments.of(
                        "an update with its before image (REPLICA IDENTITY FULL)",
                        KEY,
                        change("u", ROW, ROW_PRO, 200),
                        List.of(),
                        expected(DbOp.UPDATE, row("free"), row("pro"), 200).build()),
                Arguments.of(
                        "an update without a before image (REPLICA IDENTITY DEFAULT)",
                        KEY,
                        change("u", "null", ROW_PRO, 210),
                        List.of(),
                        expected(DbOp.UPDATE, null, row("pro"), 210).build()),
                Arguments.of(
                        "a delete: the before image, no after image",
                        KEY,
                        change("d", ROW_PRO, "null", 300),
                        List.of(),
                        expected(DbOp.DELETE, row("pro"), null, 300).build()),
                Arguments.of(
                        "a snapshot read",
                        KEY,
                        change("r", "null", ROW, 50),
                        List.of(),
                        expected(DbOp.READ, null, row("free"), 50).build()),
                Arguments.of(
                        "a value and key wrapped with their schemas (JsonConverter with schemas.enable)",
                        "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"field\":\"id\"}]},"
                                + "\"payload\":{\"id\":7}}",
                        "{\"schema\":{\"type\":\"struct\",\"optional\":false,\"name\":\"streamops.public.users.Envelope\"},"
                                + "\"payload\":" + change("c", "null", ROW, 100) + "}",
                        List.of(),
                        expected(DbOp.CREATE, null, row("free"), 100).build()),
                Arguments.of(
                        "a bare payload without a key (an HTTP sink's body): the key columns come from the row",
                        null,
                        change("c", "null", ROW, 100),
                        List.of("id"),
                        expected(DbOp.CREATE, null, row("free"), 100).build()),
                Arguments.of(
                        "no key at all: an empty primary key",
                        null,
                        change("c", "null", ROW, 100),
                        List.of(),
                        expected(DbOp.CREATE, null, row("free"), 100)
                                .setPrimaryKey(Map.of())
                                .build()),
                Arguments.of(
                        "numbers as their JSON text, decimals as strings (decimal.handling.mode=string), null, "
                                + "booleans, arrays and objects as JSON",
                        KEY,
                        change(
                                "c",
                                "null",
                                "{\"id\":7,\"balance\":\"1234.50\",\"ratio\":1.0E7,\"active\":true,\"tags\":[\"a\",\"b\"],"
                                        + "\"meta\":{\"k\":1},\"note\":null}",
                                100),
                        List.of(),
                        expected(DbOp.CREATE, null, types, 100).build()),
                Arguments.of(
                        "a source without a commit time: the event's ts_ms",
                        KEY,
                        change("c", "null", ROW, 100).replace("\"ts_ms\":" + COMMITTED + ",", ""),
                        List.of(),
                        expected(DbOp.CREATE, null, row("free"), 100)
                                .setOccurredAt(Instant.ofEpochMilli(DELIVERED))
                                .build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void mapsAChange(String description, String key, String value, List<String> keyColumns, DbChange expected) {
        Optional<DbChange> change = DebeziumEnvelope.parse(key, value, keyColumns);

        assertThat(change).isPresent();
        assertThat(change.get())
                .usingRecursiveComparison()
                .ignoringFields("eventId")
                .isEqualTo(expected);
        assertThat(change.get().getEventId()).isNotBlank();
    }

    static Stream<Arguments> tombstones() {
        return Stream.of(
                Arguments.of("a tombstone: no value", null),
                Arguments.of("a tombstone written as JSON null", "null"),
                Arguments.of("a tombstone wrapped with a schema", "{\"schema\":null,\"payload\":null}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tombstones")
    void ignoresATombstone(String description, String value) {
        assertThat(DebeziumEnvelope.parse(KEY, value)).isEmpty();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("no op", KEY, change("c", "null", ROW, 100).replace("\"op\":\"c\",", ""), "has no op"),
                Arguments.of(
                        "a truncate (op t), which DbChange cannot say",
                        KEY,
                        change("t", "null", "null", 100),
                        "unsupported op 't'"),
                Arguments.of("not JSON", KEY, "op=c table=users", "change value is not JSON"),
                Arguments.of("an empty value", KEY, "", "change value is not JSON: it is empty"),
                Arguments.of("JSON with junk after it", KEY, "{\"op\":\"c\"} {}", "content after the end"),
                Arguments.of("a JSON array", KEY, "[1,2]", "not a JSON object but ARRAY"),
                Arguments.of("no source", KEY, "{\"op\":\"c\",\"after\":" + ROW + ",\"ts_ms\":1}", "no source object"),
                Arguments.of(
                        "a source without its table",
                        KEY,
                        change("c", "null", ROW, 100).replace("\"table\":\"users\",", ""),
                        "source has no table"),
                Arguments.of("an insert without its after image", KEY, change("c", "null", "null", 100), "after image"),
                Arguments.of(
                        "a delete without its before image", KEY, change("d", "null", "null", 100), "before image"),
                Arguments.of(
                        "an LSN that is not a number",
                        KEY,
                        change("c", "null", ROW, 100).replace("\"lsn\":100", "\"lsn\":\"0/16B3748\""),
                        "source lsn is not a whole number"),
                Arguments.of(
                        "no ts_ms anywhere",
                        KEY,
                        change("c", "null", ROW, 100).replaceAll("\"ts_ms\":\\d+,?", ""),
                        "no ts_ms"),
                Arguments.of("a key that is not JSON", "id=7", change("c", "null", ROW, 100), "change key is not JSON"),
                Arguments.of("a key with a null column", "{\"id\":null}", change("c", "null", ROW, 100), "is null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithAReason(String description, String key, String value, String reason) {
        assertThatThrownBy(() -> DebeziumEnvelope.parse(key, value))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aKeyColumnMissingFromTheRowIsRefused() {
        assertThatThrownBy(() -> DebeziumEnvelope.parse(null, change("c", "null", ROW, 100), List.of("user_id")))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("key column 'user_id' is not in the row");
    }

    @Test
    void aChangeDeliveredAgainHasTheSameIdAndAnotherChangeAnother() {
        String first = change("u", ROW, ROW_PRO, 200);
        String redelivered = first.replace("\"ts_ms\":" + DELIVERED, "\"ts_ms\":" + (DELIVERED + 60_000));

        String id = id(KEY, first);
        assertThat(id(KEY, redelivered)).as("delivered again, later").isEqualTo(id);
        assertThat(id(KEY, change("u", ROW, ROW_PRO, 201))).as("another LSN").isNotEqualTo(id);
        assertThat(id("{\"id\":8}", first)).as("another row").isNotEqualTo(id);
        assertThat(id(KEY, change("d", ROW, "null", 200))).as("another op").isNotEqualTo(id);
    }

    @Test
    void withoutAnLsnTheIdIsAHashOfThePayloadLessItsDeliveryTime() {
        String first = change("c", "null", ROW, 100).replace(",\"lsn\":100", "");
        String redelivered = first.replace("\"ts_ms\":" + DELIVERED, "\"ts_ms\":" + (DELIVERED + 60_000));
        String reordered = first.replace(
                "\"id\":7,\"email\":\"ada@example.com\",\"plan\":\"free\"",
                "\"plan\":\"free\",\"email\":\"ada@example.com\",\"id\":7");

        assertThat(DebeziumEnvelope.parse(KEY, first).orElseThrow().getSource().getLsn())
                .isNull();
        assertThat(id(KEY, redelivered)).isEqualTo(id(KEY, first));
        assertThat(id(KEY, reordered)).as("field order does not matter").isEqualTo(id(KEY, first));
        assertThat(id(KEY, first.replace("free", "pro"))).isNotEqualTo(id(KEY, first));
    }

    @Test
    void keylessRowsOfOneSnapshotGetDistinctIds() {
        String ada = change("r", "null", ROW, 50);
        String bob = change("r", "null", ROW.replace("ada", "bob").replace("7", "8"), 50);

        assertThat(id(null, ada)).isNotEqualTo(id(null, bob));
    }

    @Test
    void theKafkaKeyIsTheTableAndThePrimaryKey() {
        DbChange one =
                DebeziumEnvelope.parse(KEY, change("c", "null", ROW, 100)).orElseThrow();
        Map<String, String> composite = new LinkedHashMap<>();
        composite.put("order_id", "7");
        composite.put("line", "2");
        DbChange two = DbChange.newBuilder(one).setPrimaryKey(composite).build();
        DbChange none = DbChange.newBuilder(one).setPrimaryKey(new HashMap<>()).build();

        assertThat(DebeziumEnvelope.kafkaKey(one)).isEqualTo("public.users:7");
        assertThat(DebeziumEnvelope.kafkaKey(two)).isEqualTo("public.users:line=2,order_id=7");
        assertThat(DebeziumEnvelope.kafkaKey(none)).isEqualTo("public.users:");
    }

    static String id(String key, String value) {
        return DebeziumEnvelope.parse(key, value).orElseThrow().getEventId();
    }
}
