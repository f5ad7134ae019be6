package io.streamops.schemas.registry;

/** One entry of the registry's log: the registry's state is these, applied in order. */
public sealed interface RegistryChange {

    /** A new version of a subject. {@code schema} is the schema's canonical JSON. */
    record SchemaAdded(String subject, int version, int id, String schema) implements RegistryChange {}

    /** A compatibility level; {@code subject} is null for the global level. */
    record CompatibilitySet(String subject, CompatibilityLevel level) implements RegistryChange {}
}
