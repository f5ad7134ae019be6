package io.streamops.workflows.batching;

import io.streamops.decisions.WriteRow;
import io.streamops.events.WriteIntent;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a row's intents come to, in log order: an upsert sets its columns (and drops what was to be
 * added to them), an increment adds to its columns (to what is set, when the column is set), a
 * delete drops everything before it and deletes the row first; what follows a delete is written
 * after it, increments from 0. Pure: the operator and its tests share it.
 */
public final class Coalesce {

    private Coalesce() {}

    /** A write that cannot be made: the intent goes to the dead-letter topic with the reason. */
    public static final class InvalidIntent extends RuntimeException {
        public InvalidIntent(String message) {
            super(message);
        }
    }

    /** The row's key on the operator's topics: its table and key columns in column order. */
    public static String rowKey(WriteIntent intent) {
        StringBuilder key = new StringBuilder(table(intent.getTable()));
        new TreeMap<>(intent.getKey())
                .forEach((column, value) ->
                        key.append('\u0000').append(column).append('=').append(value));
        return key.toString();
    }

    /** The table as schema.table. */
    public static String table(String table) {
        return table.contains(".") ? table : "public." + table;
    }

    /** Checks what the database cannot be asked to do. */
    public static void check(WriteIntent intent) {
        if (intent.getTable() == null || intent.getTable().isBlank()) {
            throw new InvalidIntent("no table");
        }
        if (intent.getKey().isEmpty()) {
            throw new InvalidIntent("no key columns");
        }
        if (intent.getOp() != io.streamops.events.WriteOp.DELETE
                && intent.getValues().isEmpty()) {
            throw new InvalidIntent(intent.getOp() + " with no values");
        }
        for (Map.Entry<String, String> e : intent.getValues().entrySet()) {
            if (intent.getKey().containsKey(e.getKey())) {
                throw new InvalidIntent("column " + e.getKey() + " is a key column and a value");
            }
            if (intent.getOp() == io.streamops.events.WriteOp.INCREMENT) {
                number(e.getKey(), e.getValue());
            }
        }
    }

    /** The row after one more intent ({@code row} null: its first). */
    public static WriteRow apply(WriteRow row, WriteIntent intent) {
        WriteRow next = row == null
                ? new WriteRow(new HashMap<>(intent.getKey()), false, new HashMap<>(), new HashMap<>(), 0)
                : WriteRow.newBuilder(row)
                        .setSet(new HashMap<>(row.getSet()))
                        .setAdd(new HashMap<>(row.getAdd()))
                        .build();
        next.setIntents(next.getIntents() + 1);
        switch (intent.getOp()) {
            case DELETE -> {
                next.setDelete(true);
                next.getSet().clear();
                next.getAdd().clear();
            }
            case UPSERT ->
                intent.getValues().forEach((column, value) -> {
                    next.getSet().put(column, value);
                    next.getAdd().remove(column);
                });
            case INCREMENT ->
                intent.getValues().forEach((column, value) -> {
                    BigDecimal amount = number(column, value);
                    if (next.getSet().containsKey(column) || next.getDelete()) {
                        String base = next.getSet().get(column);
                        next.getSet().put(column, sum(base == null ? BigDecimal.ZERO : number(column, base), amount));
                    } else {
                        String base = next.getAdd().get(column);
                        next.getAdd().put(column, sum(base == null ? BigDecimal.ZERO : number(column, base), amount));
                    }
                });
        }
        return next;
    }

    private static String sum(BigDecimal a, BigDecimal b) {
        return a.add(b).toPlainString();
    }

    private static BigDecimal number(String column, String value) {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException | NullPointerException e) {
            throw new InvalidIntent("INCREMENT of " + column + " by " + value + ", which is not a number");
        }
    }
}
