package io.streamops.schemas.serde;

import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes Confluent-framed Avro into a specific record type, resolving the writer's schema (from the
 * registry, by id) against the reader's (the generated class). Anything that cannot become a {@code
 * T} is a {@link MalformedRecordException} with the reason; registry outages are not.
 */
public final class AvroDecoder<T extends SpecificRecord> {

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

    public AvroDecoder(SchemaRegistryClient registry, Class<T> type) {
        this.registry = registry;
        this.readerSchema = SpecificData.get().getSchema(type);
    }

    public T decode(byte[] framed) {
        int id = WireFormat.schemaId(framed);
        DatumReader<T> reader = readersByWriterId.computeIfAbsent(id, this::readerFor);
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(framed, WireFormat.HEADER_SIZE, framed.length - WireFormat.HEADER_SIZE, null);
        try {
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new MalformedRecordException("trailing bytes after the Avro body of schema id " + id);
            }
            return record;
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException e) {
            throw new MalformedRecordException(
                    "corrupt Avro body for schema id " + id + " as " + readerSchema.getFullName() + ": " + e, e);
        }
    }

    private DatumReader<T> readerFor(int id) {
        Schema writer;
        try {
            writer = registry.getById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new MalformedRecordException("schema id " + id + " is unknown to the registry", e);
            }
            throw e;
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new MalformedRecordException("writer schema id " + id + " (" + writer.getFullName()
                    + ") cannot be read as " + readerSchema.getFullName() + ": " + compatibility.getDescription());
        }
        return new SpecificDatumReader<>(writer, readerSchema);
    }
}
