package io.streamops.schemas.topics;

/** What a topic holds; code asks the role, never the name. */
public enum TopicRole {
    /** What happened on the platform: requests, logs, spans, auth changes ... */
    EVENT,
    /** What an operator decided, each record starting with its envelope and evidence. */
    DECISION,
    /** Records an operator could not read or process, with the reason and the original bytes. */
    DEAD_LETTER,
    /** A workflow's policy or rules, compacted, read by its operator and appliers. */
    CONFIG,
    /** What an actuator did with a decision: applied, skipped as a duplicate, failed and why. */
    OUTCOME
}
