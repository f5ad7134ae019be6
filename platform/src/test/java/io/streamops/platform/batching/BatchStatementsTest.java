package io.streamops.platform.batching;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.decisions.WriteRow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchStatementsTest {

    private static WriteRow row(String id, boolean delete, Map<String, String> set, Map<String, String> add) {
        return new WriteRow(new HashMap<>(Map.of("id", id)), delete, new HashMap<>(set), new HashMap<>(add), 1);
    }

    @Test
    void rowsOfOneShapeAreOneMultiRowUpsertAndDeletesComeFirst() {
        List<BatchStatements.Statement> statements = BatchStatements.of(
                "public.page_hits",
                List.of("id"),
                List.of(
                        row("1", false, Map.of(), Map.of("hits", "3")),
                        row("2", true, Map.of(), Map.of()),
                        row("3", false, Map.of(), Map.of("hits", "1")),
                        row("4", true, Map.of("hits", "7"), Map.of())));

        assertThat(statements)
                .extracting(BatchStatements.Statement::sql)
                .containsExactly(
                        "DELETE FROM \"public\".\"page_hits\" WHERE (\"id\") IN ((?), (?))",
                        "INSERT INTO \"public\".\"page_hits\" AS t (\"id\", \"hits\") VALUES (?, ?), (?, ?)"
                                + " ON CONFLICT (\"id\") DO UPDATE SET \"hits\" = COALESCE(t.\"hits\", 0) + EXCLUDED.\"hits\"",
                        "INSERT INTO \"public\".\"page_hits\" AS t (\"id\", \"hits\") VALUES (?, ?)"
                                + " ON CONFLICT (\"id\") DO UPDATE SET \"hits\" = EXCLUDED.\"hits\"");
        assertThat(statements.get(0).parameters()).containsExactly("2", "4");
        assertThat(statements.get(1).parameters()).containsExactly("1", "3", "3", "1");
        assertThat(statements.get(2).parameters()).containsExactly("4", "7");
    }

    @Test
    void identifiersAreQuotedSoThatAColumnNameCannotBecomeSql() {
        assertThat(BatchStatements.quote("a\"; DROP TABLE x; --")).isEqualTo("\"a\"\"; DROP TABLE x; --\"");
        assertThat(BatchStatements.table("shop.order items")).isEqualTo("\"shop\".\"order items\"");
    }

    @Test
    void aBatchWiderThanTheDriversParameterLimitIsSplit() {
        List<WriteRow> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            rows.add(row(Integer.toString(i), false, Map.of("a", "1"), Map.of()));
        }

        List<BatchStatements.Statement> statements = BatchStatements.of("public.t", List.of("id"), rows);

        assertThat(statements).hasSize(2);
        assertThat(statements)
                .allSatisfy(s -> assertThat(s.parameters()).hasSizeLessThanOrEqualTo(BatchStatements.MAX_PARAMETERS));
    }
}
