package io.streamops.platform.batching;

import io.streamops.decisions.WriteBatch;
import io.streamops.decisions.WriteRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The SQL a batch comes to, with its parameters (text: the connection sends them untyped, so that
 * PostgreSQL casts each to its column's type): one {@code DELETE ... WHERE (key) IN (...)} for the
 * rows deleted first, then one multi-row {@code INSERT ... ON CONFLICT (key) DO UPDATE} per set of
 * columns written. Set columns take the new value; added columns add to what the row holds (from 0
 * for a new row or a NULL).
 */
final class BatchStatements {

    /** PostgreSQL takes at most 65,535 parameters in one statement; the driver, 32,767. */
    static final int MAX_PARAMETERS = 30_000;

    record Statement(String sql, List<String> parameters, List<WriteRow> rows) {}

    private BatchStatements() {}

    static List<Statement> of(WriteBatch batch) {
        return of(batch.getTable(), batch.getKeyColumns(), batch.getRows());
    }

    static List<Statement> of(String table, List<String> keyColumns, List<WriteRow> rows) {
        List<Statement> statements = new ArrayList<>();
        List<WriteRow> deleted = rows.stream().filter(WriteRow::getDelete).toList();
        for (List<WriteRow> chunk : chunks(deleted, keyColumns.size())) {
            statements.add(delete(table, keyColumns, chunk));
        }
        Map<String, List<WriteRow>> byShape = new LinkedHashMap<>();
        for (WriteRow row : rows) {
            if (row.getSet().isEmpty() && row.getAdd().isEmpty()) {
                continue;
            }
            String shape = new TreeSet<>(row.getSet().keySet()) + "|"
                    + new TreeSet<>(row.getAdd().keySet());
            byShape.computeIfAbsent(shape, s -> new ArrayList<>()).add(row);
        }
        for (List<WriteRow> shaped : byShape.values()) {
            WriteRow first = shaped.get(0);
            List<String> set = new ArrayList<>(new TreeSet<>(first.getSet().keySet()));
            List<String> add = new ArrayList<>(new TreeSet<>(first.getAdd().keySet()));
            int width = keyColumns.size() + set.size() + add.size();
            for (List<WriteRow> chunk : chunks(shaped, width)) {
                statements.add(upsert(table, keyColumns, set, add, chunk));
            }
        }
        return statements;
    }

    private static List<List<WriteRow>> chunks(List<WriteRow> rows, int width) {
        int per = Math.max(1, MAX_PARAMETERS / Math.max(1, width));
        List<List<WriteRow>> chunks = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += per) {
            chunks.add(rows.subList(from, Math.min(rows.size(), from + per)));
        }
        return chunks;
    }

    private static Statement delete(String table, List<String> keys, List<WriteRow> rows) {
        StringBuilder sql = new StringBuilder("DELETE FROM ")
                .append(table(table))
                .append(" WHERE (")
                .append(columns(keys))
                .append(") IN (");
        List<String> parameters = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(placeholders(keys.size()));
            for (String key : keys) {
                parameters.add(rows.get(i).getKey().get(key));
            }
        }
        return new Statement(sql.append(')').toString(), parameters, rows);
    }

    private static Statement upsert(
            String table, List<String> keys, List<String> set, List<String> add, List<WriteRow> rows) {
        List<String> all = new ArrayList<>(keys);
        all.addAll(set);
        all.addAll(add);
        StringBuilder sql = new StringBuilder("INSERT INTO ")
                .append(table(table))
                .append(" AS t (")
                .append(columns(all))
                .append(") VALUES ");
        List<String> parameters = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            WriteRow row = rows.get(i);
            sql.append(i == 0 ? "" : ", ").append(placeholders(all.size()));
            keys.forEach(k -> parameters.add(row.getKey().get(k)));
            set.forEach(c -> parameters.add(row.getSet().get(c)));
            add.forEach(c -> parameters.add(row.getAdd().get(c)));
        }
        sql.append(" ON CONFLICT (").append(columns(keys)).append(") DO UPDATE SET ");
        List<String> updates = new ArrayList<>();
        set.forEach(c -> updates.add(quote(c) + " = EXCLUDED." + quote(c)));
        add.forEach(c -> updates.add(quote(c) + " = COALESCE(t." + quote(c) + ", 0) + EXCLUDED." + quote(c)));
        sql.append(String.join(", ", updates));
        return new Statement(sql.toString(), parameters, rows);
    }

    private static String placeholders(int n) {
        return "(" + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")";
    }

    private static String columns(List<String> names) {
        return String.join(", ", names.stream().map(BatchStatements::quote).toList());
    }

    /** {@code schema.table} as two quoted identifiers. */
    static String table(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? quote(table) : quote(table.substring(0, dot)) + "." + quote(table.substring(dot + 1));
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
