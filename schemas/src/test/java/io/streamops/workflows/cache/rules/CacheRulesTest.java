package io.streamops.workflows.cache.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamops.events.DbChange;
import io.streamops.events.DbOp;
import io.streamops.schemas.testing.TestEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CacheRulesTest {

    private static final Instant COMMITTED = Instant.parse("2026-12-01T10:00:00Z");

    private static final String RULES = """
            tables:
              public.products:
                keys:
                  - /api/products/{id}
                prefixes:
                  - /api/products?category={category}
              orders:
                - /api/orders/{id}
                - /api/users/{user_id}/orders
            """;

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of(
                        "an update that moves a product to another category invalidates both listings",
                        change("products", DbOp.UPDATE, row("42", "books"), row("42", "games")),
                        Set.of("/api/products/42"),
                        Set.of("/api/products?category=books", "/api/products?category=games")),
                Arguments.of(
                        "an update within one category names each key once",
                        change("products", DbOp.UPDATE, row("42", "books"), row("42", "books")),
                        Set.of("/api/products/42"),
                        Set.of("/api/products?category=books")),
                Arguments.of(
                        "an insert has only its after image",
                        change("products", DbOp.CREATE, null, row("7", "garden tools")),
                        Set.of("/api/products/7"),
                        Set.of("/api/products?category=garden%20tools")),
                Arguments.of(
                        "a delete has only its before image",
                        change("products", DbOp.DELETE, row("7", "a/b&c"), null),
                        Set.of("/api/products/7"),
                        Set.of("/api/products?category=a%2Fb%26c")),
                Arguments.of(
                        "a template whose column the image lacks is skipped",
                        change("products", DbOp.DELETE, Map.of("id", "9"), null),
                        Set.of("/api/products/9"),
                        Set.of()),
                Arguments.of(
                        "a bare table name is in schema public, and a list alone is exact keys",
                        change(
                                "orders",
                                DbOp.UPDATE,
                                Map.of("id", "1", "user_id", "u1"),
                                Map.of("id", "1", "user_id", "u1")),
                        Set.of("/api/orders/1", "/api/users/u1/orders"),
                        Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void aChangeMakesStaleTheKeysItsImagesFill(
            String description, DbChange change, Set<String> keys, Set<String> prefixes) {
        CacheRules.Stale stale = CacheRulesParser.parse(RULES).stale(change).orElseThrow();
        assertThat(stale.keys()).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(stale.prefixes()).containsExactlyInAnyOrderElementsOf(prefixes);
    }

    @Test
    void aTableNoRuleNamesMakesNothingStale() {
        assertThat(CacheRulesParser.parse(RULES)
                        .stale(change("users", DbOp.UPDATE, Map.of("id", "1"), Map.of("id", "1"))))
                .isEmpty();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("an empty file", "", 1, "empty"),
                Arguments.of("not YAML", "tables: [", 1, "not YAML"),
                Arguments.of("no tables", "routes: {}\n", 1, "unknown field 'routes'"),
                Arguments.of(
                        "a table with an unknown field",
                        "tables:\n  products:\n    key: ['/a/{id}']\n",
                        3,
                        "unknown field 'key'"),
                Arguments.of("an unquoted template in a flow list", "tables:\n  products: [/a/{id}]\n", 2, "quote"),
                Arguments.of(
                        "a table named twice",
                        "tables:\n  products: [/a]\n  public.products: [/b]\n",
                        3,
                        "named twice"),
                Arguments.of(
                        "a key that is not a path", "tables:\n  products:\n    - api/{id}\n", 3, "starts with '/'"),
                Arguments.of(
                        "an unclosed placeholder",
                        "tables:\n  products:\n    keys:\n      - /a/{id\n",
                        4,
                        "without '}'"),
                Arguments.of(
                        "an empty placeholder",
                        "tables:\n  products:\n    keys:\n      - /a/{}\n",
                        4,
                        "names a column"),
                Arguments.of(
                        "a table with neither keys nor prefixes",
                        "tables:\n  products: {}\n",
                        2,
                        "no keys and no prefixes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aBadFileIsRefusedWithItsLine(String description, String yaml, int line, String reason) {
        assertThatThrownBy(() -> CacheRulesParser.parse(yaml))
                .isInstanceOf(RulesException.class)
                .hasMessageStartingWith("line " + line + ":")
                .hasMessageContaining(reason);
    }

    private static Map<String, String> row(String id, String category) {
        return Map.of("id", id, "category", category, "name", "item " + id);
    }

    static DbChange change(String table, DbOp op, Map<String, String> before, Map<String, String> after) {
        String id = (after != null ? after : before).get("id");
        return TestEvents.dbChange("change-" + table + "-" + id, table, op, before, after, COMMITTED);
    }

    @Test
    void templatesKeepTheirColumnsInOrder() {
        assertThat(KeyTemplate.parse("/u/{user_id}/o/{id}", 1).columns()).isEqualTo(List.of("user_id", "id"));
    }
}
