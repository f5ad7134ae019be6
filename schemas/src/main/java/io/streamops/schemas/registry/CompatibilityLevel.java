package io.streamops.schemas.registry;

import java.util.Locale;

/** The registry's compatibility levels, with Confluent's names and meaning. */
public enum CompatibilityLevel {
    NONE,
    /** Consumers using the new schema can read data written with the latest one. */
    BACKWARD,
    BACKWARD_TRANSITIVE,
    /** Consumers using the latest schema can read data written with the new one. */
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE;

    public static CompatibilityLevel parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SchemaRegistryException(
                    422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL, "Invalid compatibility level: " + name);
        }
    }

    boolean transitive() {
        return this == BACKWARD_TRANSITIVE || this == FORWARD_TRANSITIVE || this == FULL_TRANSITIVE;
    }

    boolean checksBackward() {
        return this == BACKWARD || this == BACKWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
    }

    boolean checksForward() {
        return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
    }
}
