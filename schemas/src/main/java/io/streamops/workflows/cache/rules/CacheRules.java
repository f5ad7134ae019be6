package io.streamops.workflows.cache.rules;

import io.streamops.events.DbChange;
import io.streamops.workflows.cache.DebeziumEnvelope;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which cache keys a committed row change makes stale: per table ({@code schema.table}), key
 * templates and prefix templates, each filled from the row's before and after images, so a row that
 * moves from one category to another invalidates both listings.
 */
public record CacheRules(Map<String, TableRule> tables) {

    public CacheRules {
        tables = Map.copyOf(tables);
    }

    /** One table's templates: exact keys and prefixes. */
    public record TableRule(List<KeyTemplate> keys, List<KeyTemplate> prefixes) {
        public TableRule {
            keys = List.copyOf(keys);
            prefixes = List.copyOf(prefixes);
        }
    }

    /** The keys and prefixes one change makes stale, in template order, each once. */
    public record Stale(String table, Set<String> keys, Set<String> prefixes) {
        public boolean isEmpty() {
            return keys.isEmpty() && prefixes.isEmpty();
        }
    }

    /** What the change makes stale; empty when no rule names its table. */
    public Optional<Stale> stale(DbChange change) {
        String table = DebeziumEnvelope.qualifiedTable(change.getSource());
        TableRule rule = tables.get(table);
        if (rule == null) {
            return Optional.empty();
        }
        Set<String> keys = new LinkedHashSet<>();
        Set<String> prefixes = new LinkedHashSet<>();
        for (Map<String, String> image : images(change)) {
            rule.keys().forEach(t -> t.fill(image).ifPresent(keys::add));
            rule.prefixes().forEach(t -> t.fill(image).ifPresent(prefixes::add));
        }
        return Optional.of(new Stale(table, keys, prefixes));
    }

    private static List<Map<String, String>> images(DbChange change) {
        Map<String, String> before = change.getBefore();
        Map<String, String> after = change.getAfter();
        if (before == null && after == null) {
            // A delete whose table keeps no before image still names its key columns.
            return List.of(change.getPrimaryKey());
        }
        if (before == null) {
            return List.of(after);
        }
        return after == null ? List.of(before) : List.of(before, after);
    }
}
