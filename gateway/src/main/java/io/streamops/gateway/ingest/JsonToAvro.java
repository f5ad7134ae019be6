package io.streamops.gateway.ingest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Plain JSON (as producers write it, not Avro's JSON encoding) to an Avro record of a schema,
 * refusing with the path of the first field that does not fit: missing required fields, wrong
 * types, unknown enum symbols, unknown fields. Timestamps are ISO-8601 or epoch milliseconds;
 * bytes are base64; a union takes null or a value of one of its branches.
 */
public final class JsonToAvro {

    /** Input that does not fit the schema; the message names the field. */
    public static final class Invalid extends RuntimeException {
        Invalid(String path, String problem) {
            super(path + ": " + problem);
        }
    }

    private JsonToAvro() {}

    public static GenericData.Record record(JsonObject json, Schema schema) {
        return (GenericData.Record) convert(json, schema, "$");
    }

    private static Object convert(Object value, Schema schema, String path) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!(value instanceof JsonObject object)) {
                    throw new Invalid(path, "expected an object (" + schema.getName() + ")");
                }
                for (String name : object.fieldNames()) {
                    if (schema.getField(name) == null) {
                        throw new Invalid(path + "." + name, "not a field of " + schema.getName());
                    }
                }
                GenericData.Record record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    String fieldPath = path + "." + field.name();
                    if (!object.containsKey(field.name())) {
                        if (!field.hasDefaultValue()) {
                            throw new Invalid(fieldPath, "required");
                        }
                        record.put(field.pos(), GenericData.get().getDefaultValue(field));
                    } else {
                        record.put(field.pos(), convert(object.getValue(field.name()), field.schema(), fieldPath));
                    }
                }
                return record;
            }
            case UNION -> {
                if (value == null) {
                    if (schema.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL)) {
                        return null;
                    }
                    throw new Invalid(path, "must not be null");
                }
                Invalid last = null;
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        try {
                            return convert(value, branch, path);
                        } catch (Invalid e) {
                            last = e;
                        }
                    }
                }
                throw last != null ? last : new Invalid(path, "fits no branch of " + schema);
            }
            case STRING -> {
                return require(value instanceof String, value, path, "a string");
            }
            case BOOLEAN -> {
                return require(value instanceof Boolean, value, path, "true or false");
            }
            case INT -> {
                require(
                        value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()),
                        value,
                        path,
                        "an integer");
                return ((Number) value).intValue();
            }
            case LONG -> {
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis && value instanceof String text) {
                    try {
                        return Instant.parse(text).toEpochMilli();
                    } catch (DateTimeParseException e) {
                        throw new Invalid(
                                path, "expected an ISO-8601 timestamp or epoch milliseconds, was '" + text + "'");
                    }
                }
                require(
                        value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()),
                        value,
                        path,
                        "an integer");
                return ((Number) value).longValue();
            }
            case FLOAT -> {
                require(value instanceof Number, value, path, "a number");
                return ((Number) value).floatValue();
            }
            case DOUBLE -> {
                require(value instanceof Number, value, path, "a number");
                return ((Number) value).doubleValue();
            }
            case BYTES -> {
                require(value instanceof String, value, path, "base64 text");
                try {
                    return ByteBuffer.wrap(Base64.getDecoder().decode((String) value));
                } catch (IllegalArgumentException e) {
                    throw new Invalid(path, "not valid base64");
                }
            }
            case ENUM -> {
                if (!(value instanceof String symbol)
                        || !schema.getEnumSymbols().contains(symbol)) {
                    throw new Invalid(path, "expected one of " + schema.getEnumSymbols() + ", was " + value);
                }
                return new GenericData.EnumSymbol(schema, symbol);
            }
            case ARRAY -> {
                if (!(value instanceof JsonArray array)) {
                    throw new Invalid(path, "expected an array");
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < array.size(); i++) {
                    items.add(convert(array.getValue(i), schema.getElementType(), path + "[" + i + "]"));
                }
                return new GenericData.Array<>(schema, items);
            }
            case MAP -> {
                if (!(value instanceof JsonObject object)) {
                    throw new Invalid(path, "expected an object (map)");
                }
                Map<String, Object> map = new HashMap<>();
                for (String key : object.fieldNames()) {
                    map.put(key, convert(object.getValue(key), schema.getValueType(), path + "." + key));
                }
                return map;
            }
            case NULL -> {
                return require(value == null, null, path, "null");
            }
            default -> throw new Invalid(path, "type " + schema.getType() + " is not accepted over JSON");
        }
    }

    private static Object require(boolean fits, Object value, String path, String expected) {
        if (!fits) {
            throw new Invalid(
                    path,
                    "expected " + expected + ", was "
                            + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        return value;
    }
}
