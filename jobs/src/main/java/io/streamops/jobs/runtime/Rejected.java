package io.streamops.jobs.runtime;

import io.streamops.common.DeadLetter;
import io.streamops.schemas.decision.DeadLetters;
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
        return DeadLetters.of(
                operator,
                record.topic,
                record.partition,
                record.offset,
                Instant.ofEpochMilli(record.timestamp),
                record.key,
                record.value,
                reason,
                errorClass,
                Instant.ofEpochMilli(failedAt));
    }
}
