package io.streamops.workflows.cache;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.streamops.events.DbChange;
import io.streamops.events.DbOp;
import io.streamops.events.DbSource;
import io.streamops.schemas.serde.MalformedRecordException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The one mapping from Debezium's JSON change events to {@link DbChange}: what the embedded engine's
 * {@code Json} format hands over, what Kafka Connect's JsonConverter writes and what Debezium
 * Server's HTTP sink posts. The value may be wrapped ({@code {"schema": .., "payload": ..}}) or
 * bare. A tombstone (no value) is not a change; anything else that cannot be read is refused with a
 * {@link MalformedRecordException} that says why, for the caller to dead-letter.
 *
 * <p>Column values become text: JSON strings as they are, numbers and booleans as their JSON text,
 * null as null, objects and arrays as compact JSON. The event id is derived from where the change
 * sits in the source log (connector, database, table, LSN, transaction, operation, primary key),
 * so a change delivered twice carries the same id and consumers deduplicate on it.
 */
public final class DebeziumEnvelope {

    private static final JsonMapper JSON = new JsonMapper();

    private DebeziumEnvelope() {}

    /** A change value without its key: the primary key is left empty. */
    public static Optional<DbChange> parse(String value) {
        return parse(null, value, List.of());
    }

    /** A change value with its key JSON (null when the table has no key). */
    public static Optional<DbChange> parse(String key, String value) {
        return parse(key, value, List.of());
    }

    /**
     * @param key the change's key JSON, or null; when given, it is the primary key
     * @param value the change's value JSON; null is a tombstone
     * @param keyColumns the primary key columns to take from the row when there is no key JSON
     *     (e.g. Debezium Server's HTTP sink posts values only); empty for none
     * @return the change, or empty for a tombstone
     * @throws MalformedRecordException when the value (or key) is not a Debezium change event
     */
    public static Optional<DbChange> parse(String key, String value, List<String> keyColumns) {
        if (value == null) {
            return Optional.empty();
        }
        JsonNode payload = unwrap(read(value, "value"), "value");
        if (payload == null) {
            return Optional.empty();
        }
        if (!payload.isObject()) {
            throw new MalformedRecordException("change event is not a JSON object but " + payload.getNodeType());
        }
        DbOp op = op(payload);
        JsonNode source = payload.get("source");
        if (source == null || !source.isObject()) {
            throw new MalformedRecordException("change event has no source object");
        }
        DbSource dbSource = DbSource.newBuilder()
                .setConnector(requiredText(source, "connector"))
                .setDatabase(requiredText(source, "db"))
                // Not every connector has schemas (MySQL's databases are its namespaces).
                .setSchema$(optionalText(source, "schema"))
                .setTable(requiredText(source, "table"))
                .setTxId(optionalLong(source, "txId"))
                .setLsn(optionalLong(source, "lsn"))
                .build();
        Map<String, String> before = row(payload, "before");
        Map<String, String> after = row(payload, "after");
        if (op == DbOp.DELETE ? before == null : after == null) {
            throw new MalformedRecordException(
                    "a " + op + " change without its " + (op == DbOp.DELETE ? "before" : "after") + " image");
        }
        Map<String, String> primaryKey = primaryKey(key, op == DbOp.DELETE ? before : after, keyColumns);
        Instant occurredAt = occurredAt(payload, source);
        return Optional.of(DbChange.newBuilder()
                .setEventId(eventId(payload, dbSource, op, primaryKey))
                .setOp(op)
                .setBefore(before)
                .setAfter(after)
                .setSource(dbSource)
                .setPrimaryKey(primaryKey)
                .setOccurredAt(occurredAt)
                .build());
    }

    /** {@code schema.table}, or {@code table} for a source without schemas. */
    public static String qualifiedTable(DbSource source) {
        return source.getSchema$().isEmpty() ? source.getTable() : source.getSchema$() + "." + source.getTable();
    }

    /**
     * The Kafka key of a change on {@code db-changes}: {@code schema.table:value} for a one-column
     * key, {@code schema.table:col=value,col=value} for a composite one (columns sorted by name: an
     * Avro map keeps no order, and a reader must get the same key back), {@code schema.table:} for a
     * table without a key. Every change of a row lands in one partition, in order.
     */
    public static String kafkaKey(DbChange change) {
        Map<String, String> pk = change.getPrimaryKey();
        String key;
        if (pk.size() == 1) {
            key = pk.values().iterator().next();
        } else {
            List<String> parts = new ArrayList<>();
            new TreeMap<>(pk).forEach((column, v) -> parts.add(column + "=" + v));
            key = String.join(",", parts);
        }
        return qualifiedTable(change.getSource()) + ":" + key;
    }

    private static JsonNode read(String json, String what) {
        if (json.isBlank()) {
            throw new MalformedRecordException("change " + what + " is not JSON: it is empty");
        }
        try (JsonParser parser = JSON.createParser(json)) {
            JsonNode node = tree(parser, parser.nextToken());
            if (parser.nextToken() != null) {
                throw new MalformedRecordException("change " + what + " is not JSON: content after the end");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedRecordException("change " + what + " is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedRecordException("change " + what + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * A tree whose numbers keep the text they were written with (as raw values): Jackson's own
     * trees turn them into doubles or BigDecimals, whose text differs ("1.0E7" becomes "1.0E+7").
     */
    private static JsonNode tree(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            throw new MalformedRecordException("unexpected end of JSON");
        }
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = JSON.createObjectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    object.set(name, tree(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = JSON.createArrayNode();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    array.add(tree(parser, next));
                }
                return array;
            }
            case VALUE_STRING -> {
                return TextNode.valueOf(parser.getText());
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new POJONode(new RawValue(parser.getText()));
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return BooleanNode.valueOf(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NullNode.getInstance();
            }
            default -> throw new MalformedRecordException("unexpected JSON token " + token);
        }
    }

    /** The text of a number as written, or null when the node is not a number. */
    private static String numberText(JsonNode node) {
        return node instanceof POJONode pojo && pojo.getPojo() instanceof RawValue raw
                ? raw.rawValue().toString()
                : null;
    }

    /** The payload of a {@code {"schema":..,"payload":..}} wrapper, or the node itself; null for JSON null. */
    private static JsonNode unwrap(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject() && node.has("payload") && node.has("schema")) {
            JsonNode payload = node.get("payload");
            if (payload.isNull()) {
                return null;
            }
            if (!payload.isObject()) {
                throw new MalformedRecordException(
                        "the payload of the change " + what + " is not an object but " + payload.getNodeType());
            }
            return payload;
        }
        return node;
    }

    private static DbOp op(JsonNode payload) {
        JsonNode op = payload.get("op");
        if (op == null || op.isNull()) {
            throw new MalformedRecordException("change event has no op");
        }
        String code = op.isTextual() ? op.textValue() : op.toString();
        return switch (code) {
            case "c" -> DbOp.CREATE;
            case "u" -> DbOp.UPDATE;
            case "d" -> DbOp.DELETE;
            case "r" -> DbOp.READ;
            default -> throw new MalformedRecordException("unsupported op '" + code + "' (expected c, u, d or r)");
        };
    }

    private static Map<String, String> row(JsonNode payload, String field) {
        JsonNode image = payload.get(field);
        if (image == null || image.isNull()) {
            return null;
        }
        if (!image.isObject()) {
            throw new MalformedRecordException(field + " is not an object but " + image.getNodeType());
        }
        return columns(image);
    }

    private static Map<String, String> columns(JsonNode object) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> column : object.properties()) {
            columns.put(column.getKey(), text(column.getValue()));
        }
        return columns;
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        String number = numberText(value);
        if (number != null) {
            return number;
        }
        // Booleans as their JSON text; objects and arrays as compact JSON.
        return value.isBoolean() ? value.asText() : value.toString();
    }

    private static Map<String, String> primaryKey(String key, Map<String, String> row, List<String> keyColumns) {
        JsonNode keyNode = key == null ? null : unwrap(read(key, "key"), "key");
        Map<String, String> pk = new LinkedHashMap<>();
        if (keyNode != null) {
            if (!keyNode.isObject()) {
                throw new MalformedRecordException("change key is not an object but " + keyNode.getNodeType());
            }
            columns(keyNode).forEach((column, value) -> pk.put(column, requireKeyValue(column, value)));
            return pk;
        }
        for (String column : keyColumns) {
            if (!row.containsKey(column)) {
                throw new MalformedRecordException("key column '" + column + "' is not in the row " + row.keySet());
            }
            pk.put(column, requireKeyValue(column, row.get(column)));
        }
        return pk;
    }

    private static String requireKeyValue(String column, String value) {
        if (value == null) {
            throw new MalformedRecordException("key column '" + column + "' is null");
        }
        return value;
    }

    private static Instant occurredAt(JsonNode payload, JsonNode source) {
        for (JsonNode holder : List.of(source, payload)) {
            JsonNode ts = holder.get("ts_ms");
            if (ts != null && !ts.isNull()) {
                Long millis = wholeNumber(ts);
                if (millis == null) {
                    throw new MalformedRecordException("ts_ms is not a number of milliseconds: " + ts);
                }
                return Instant.ofEpochMilli(millis);
            }
        }
        throw new MalformedRecordException("change event has no ts_ms, in source or payload");
    }

    /**
     * Where the change sits in the log, as a name-based UUID: the same change delivered again (after
     * a restart, from another copy of the log) gets the same id. Without an LSN, a hash of the
     * payload less its delivery timestamps. A keyless row adds its images, so that two rows of one
     * snapshot (one LSN) differ.
     */
    private static String eventId(JsonNode payload, DbSource source, DbOp op, Map<String, String> pk) {
        String identity;
        if (source.getLsn() == null) {
            ObjectNode stable = ((ObjectNode) payload).deepCopy();
            stable.remove(List.of("ts_ms", "ts_us", "ts_ns"));
            identity = "payload\0" + canonical(stable);
        } else {
            identity = String.join(
                    "\0",
                    source.getConnector(),
                    source.getDatabase(),
                    qualifiedTable(source),
                    Long.toString(source.getLsn()),
                    String.valueOf(source.getTxId()),
                    op.name(),
                    new TreeMap<>(pk).toString());
            if (pk.isEmpty()) {
                identity += "\0" + canonical(payload.get("before")) + "\0" + canonical(payload.get("after"));
            }
        }
        return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** JSON with the fields of every object sorted: the same content gives the same text. */
    private static String canonical(JsonNode node) {
        return node == null ? "null" : sorted(node).toString();
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            node.properties().forEach(f -> fields.put(f.getKey(), f.getValue()));
            fields.forEach((name, value) -> copy.set(name, sorted(value)));
            return copy;
        }
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            node.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return node;
    }

    private static String requiredText(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new MalformedRecordException("source has no " + field);
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || !value.isTextual() ? "" : value.textValue();
    }

    private static Long optionalLong(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        Long number = wholeNumber(value);
        if (number == null) {
            throw new MalformedRecordException("source " + field + " is not a whole number: " + value);
        }
        return number;
    }

    /** A whole number written as a JSON number or as a string of digits; null otherwise. */
    private static Long wholeNumber(JsonNode value) {
        String text = value.isTextual() ? value.textValue() : numberText(value);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
