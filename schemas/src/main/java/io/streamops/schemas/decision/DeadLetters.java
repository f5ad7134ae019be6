package io.streamops.schemas.decision;

import io.streamops.common.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds dead letters the same way on every engine: where the record came from, its bytes, and why. */
public final class DeadLetters {

    private DeadLetters() {}

    /**
     * @param failedAt processing time of the rejection
     */
    public static DeadLetter of(
            String operator,
            String sourceTopic,
            int partition,
            long offset,
            Instant timestamp,
            byte[] key,
            byte[] value,
            String reason,
            Throwable error,
            Instant failedAt) {
        return of(
                operator,
                sourceTopic,
                partition,
                offset,
                timestamp,
                key,
                value,
                reason,
                error.getClass().getName(),
                failedAt);
    }

    /** The same, for an error that travelled as its class name (a Flink side output). */
    public static DeadLetter of(
            String operator,
            String sourceTopic,
            int partition,
            long offset,
            Instant timestamp,
            byte[] key,
            byte[] value,
            String reason,
            String errorClass,
            Instant failedAt) {
        return DeadLetter.newBuilder()
                .setOperator(operator)
                .setSourceTopic(sourceTopic)
                .setPartition(partition)
                .setOffset(offset)
                .setTimestamp(timestamp)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setReason(reason)
                .setErrorClass(errorClass)
                .setFailedAt(failedAt)
                .build();
    }

    /** The message of an error and of each of its causes that adds something, joined by " <- ". */
    public static String reason(Throwable error) {
        StringBuilder message = new StringBuilder(String.valueOf(error.getMessage()));
        Throwable cause = error.getCause();
        while (cause != null && cause != error) {
            if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
                message.append(" <- ").append(cause.getMessage());
            }
            error = cause;
            cause = cause.getCause();
        }
        return message.toString();
    }
}
