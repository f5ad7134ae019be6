package io.streamops.workflows.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamops.decisions.WriteRow;
import io.streamops.events.WriteIntent;
import io.streamops.events.WriteOp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CoalesceTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    private static WriteIntent intent(WriteOp op, Map<String, String> values) {
        return WriteIntent.newBuilder()
                .setEventId("i")
                .setOccurredAt(AT)
                .setTable("counters")
                .setOp(op)
                .setKey(Map.of("id", "7"))
                .setValues(new HashMap<>(values))
                .build();
    }

    private static WriteIntent upsert(String column, String value) {
        return intent(WriteOp.UPSERT, Map.of(column, value));
    }

    private static WriteIntent add(String column, String amount) {
        return intent(WriteOp.INCREMENT, Map.of(column, amount));
    }

    private static final WriteIntent DELETE = intent(WriteOp.DELETE, Map.of());

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "one upsert: its columns set",
                        List.of(upsert("name", "a")),
                        false,
                        Map.of("name", "a"),
                        Map.of()),
                Arguments.of(
                        "upserts merge, the last value of a column wins",
                        List.of(upsert("name", "a"), upsert("price", "3"), upsert("name", "b")),
                        false,
                        Map.of("name", "b", "price", "3"),
                        Map.of()),
                Arguments.of(
                        "increments add up, to be added to what the row holds",
                        List.of(add("hits", "1"), add("hits", "2"), add("hits", "-0.5")),
                        false,
                        Map.of(),
                        Map.of("hits", "2.5")),
                Arguments.of(
                        "an increment after an upsert of its column adds to the value set",
                        List.of(upsert("hits", "10"), add("hits", "5")),
                        false,
                        Map.of("hits", "15"),
                        Map.of()),
                Arguments.of(
                        "an upsert after increments replaces them",
                        List.of(add("hits", "5"), upsert("hits", "1")),
                        false,
                        Map.of("hits", "1"),
                        Map.of()),
                Arguments.of(
                        "a delete wins over everything before it",
                        List.of(upsert("name", "a"), add("hits", "4"), DELETE),
                        true,
                        Map.of(),
                        Map.of()),
                Arguments.of(
                        "after a delete, increments count from 0 in a new row",
                        List.of(add("hits", "4"), DELETE, add("hits", "2"), add("hits", "1")),
                        true,
                        Map.of("hits", "3"),
                        Map.of()),
                Arguments.of(
                        "after a delete, an upsert is the new row",
                        List.of(DELETE, upsert("name", "c")),
                        true,
                        Map.of("name", "c"),
                        Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void coalesces(
            String description,
            List<WriteIntent> intents,
            boolean delete,
            Map<String, String> set,
            Map<String, String> add) {
        WriteRow row = null;
        for (WriteIntent intent : intents) {
            row = Coalesce.apply(row, intent);
        }

        assertThat(row.getKey()).isEqualTo(Map.of("id", "7"));
        assertThat(row.getDelete()).isEqualTo(delete);
        assertThat(row.getSet()).isEqualTo(set);
        assertThat(row.getAdd()).isEqualTo(add);
        assertThat(row.getIntents()).isEqualTo(intents.size());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("an increment by a word", add("hits", "many"), "not a number"),
                Arguments.of("an upsert of nothing", intent(WriteOp.UPSERT, Map.of()), "no values"),
                Arguments.of("a key column among the values", upsert("id", "8"), "key column"),
                Arguments.of(
                        "no key",
                        WriteIntent.newBuilder(DELETE).setKey(Map.of()).build(),
                        "no key columns"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refuses(String description, WriteIntent intent, String reason) {
        assertThatThrownBy(() -> Coalesce.check(intent))
                .isInstanceOf(Coalesce.InvalidIntent.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aRowsKeyIsItsTableAndKeyColumnsInColumnOrder() {
        WriteIntent a = WriteIntent.newBuilder(DELETE)
                .setKey(Map.of("b", "2", "a", "1"))
                .build();
        WriteIntent b = WriteIntent.newBuilder(DELETE)
                .setTable("public.counters")
                .setKey(Map.of("a", "1", "b", "2"))
                .build();

        assertThat(Coalesce.rowKey(a)).isEqualTo(Coalesce.rowKey(b)).startsWith("public.counters");
    }
}
