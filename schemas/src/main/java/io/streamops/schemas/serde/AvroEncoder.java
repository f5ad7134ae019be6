package io.streamops.schemas.serde;

import io.streamops.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes specific records in the Confluent wire format under a subject. With auto-registration the
 * record's schema is registered on first use; without, it must already be registered (production
 * registries are often locked down). Ids are resolved once per subject and schema.
 */
public final class AvroEncoder<T extends SpecificRecord> {

    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final Map<String, Integer> idBySubject = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();

    public AvroEncoder(SchemaRegistryClient registry, boolean autoRegister) {
        this.registry = registry;
        this.autoRegister = autoRegister;
    }

    public byte[] encode(String subject, T record) {
        Schema schema = record.getSchema();
        int id = idBySubject.computeIfAbsent(subject, s -> resolveId(s, schema));
        return WireFormat.frame(id, writers.computeIfAbsent(schema, SpecificDatumWriter::new), record);
    }

    private int resolveId(String subject, Schema schema) {
        if (autoRegister) {
            return registry.register(subject, schema);
        }
        return registry.lookup(subject, schema)
                .orElseThrow(() -> new IllegalStateException("schema of " + schema.getFullName()
                        + " is not registered under subject " + subject + " and auto-registration is off"))
                .id();
    }
}
