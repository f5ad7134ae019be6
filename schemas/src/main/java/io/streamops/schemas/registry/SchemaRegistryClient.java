package io.streamops.schemas.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry API the pipeline uses. Errors are {@link
 * SchemaRegistryException}s carrying the HTTP status; implementations are thread-safe.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers the schema under the subject (or finds it registered) and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with this global id. */
    Schema getById(int id);

    /** The subject's version of this schema, if registered. */
    Optional<RegisteredSchema> lookup(String subject, Schema schema);

    /** One version of a subject. */
    RegisteredSchema getVersion(String subject, int version);

    /** The latest version of a subject. */
    RegisteredSchema getLatest(String subject);

    /** Versions of a subject, ascending. */
    List<Integer> versions(String subject);

    /** All subjects, sorted. */
    List<String> subjects();

    /** Whether the schema may be registered under the subject at its compatibility level. */
    boolean isCompatible(String subject, Schema schema);

    /** The compatibility level of a subject, or the global one when {@code subject} is null. */
    CompatibilityLevel compatibility(String subject);

    /** Sets the compatibility level of a subject, or the global one when {@code subject} is null. */
    void setCompatibility(String subject, CompatibilityLevel level);

    @Override
    default void close() {}
}
