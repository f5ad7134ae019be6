package io.streamops.schemas.topics;

import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** How the key or the value of a topic is encoded. */
public sealed interface Codec<T> permits Codec.Utf8, Codec.Avro {

    /** The Java type of decoded records. */
    Class<T> type();

    /** Plain UTF-8 strings, readable by any client without a registry. */
    record Utf8() implements Codec<String> {
        @Override
        public Class<String> type() {
            return String.class;
        }
    }

    /** Avro specific records in the Confluent wire format, schemas in the registry. */
    record Avro<T extends SpecificRecord>(Class<T> type, Schema schema) implements Codec<T> {
        public Avro {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(schema, "schema");
        }
    }

    static Codec<String> utf8() {
        return new Utf8();
    }

    static <T extends SpecificRecord> Codec<T> avro(Class<T> type) {
        return new Avro<>(type, SpecificData.get().getSchema(type));
    }
}
