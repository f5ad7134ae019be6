package io.streamops.schemas.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/** One version of one subject, with the schema's global id. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
