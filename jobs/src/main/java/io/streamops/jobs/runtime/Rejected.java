package io.streamops.jobs.runtime;

import io.streamops.common.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;

/** A record an operator could not read or process, and why; a Flink POJO bound for the DLQ. */
public class Rejected {
    public String operator;
    public KafkaRecord record;
    public String reason;
    public String errorClass;
    public long failedAt;

    public Rejected() {}

    public Rejected(String operator, KafkaRecord record, String reason, String errorClass, long failedAt) {
        this.operator = operator;
        this.record = record;
        this.reason = reason;
        this.errorClass = errorClass;
        this.failedAt = failedAt;
    }

    public DeadLetter toDeadLetter() {
        return DeadLetter.newBuilder()
                .setOperator(operator)
                .setSourceTopic(record.topic)
                .setPartition(record.partition)
                .setOffset(record.offset)
                .setTimestamp(Instant.ofEpochMilli(record.timestamp))
                .setKey(record.key == null ? null : ByteBuffer.wrap(record.key))
                .setValue(record.value == null ? null : ByteBuffer.wrap(record.value))
                .setReason(reason)
                .setErrorClass(errorClass)
                .setFailedAt(Instant.ofEpochMilli(failedAt))
                .build();
    }
}
