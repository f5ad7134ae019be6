package io.streamops.schemas.topics;

/** Kafka's cleanup.policy: how a topic forgets. */
public enum CleanupPolicy {
    /** Segments older than the retention are deleted: event streams. */
    DELETE("delete"),
    /** The latest record per key is kept forever: current state, such as signing keys. */
    COMPACT("compact");

    private final String configValue;

    CleanupPolicy(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }
}
