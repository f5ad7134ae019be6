package io.streamops.topologies.runtime;

import io.streamops.common.DeadLetter;
import io.streamops.schemas.decision.DeadLetters;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.KafkaAvroSerde;
import io.streamops.schemas.serde.MalformedRecordException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that cannot be read (its bytes are malformed: not the wire format, an unknown
 * schema id, a corrupt body) or processed (an exception from the operator's code on that record) to the operator's dead-letter topic, as a {@link DeadLetter} with
 * the reason and the original bytes, and lets the operator go on. Under exactly-once the dead letter
 * is written in the same transaction as the operator's other output. Failures of the platform
 * itself (Kafka, serialization of outputs) are not the record's fault: they fail the task, which
 * the runner replaces and resumes from its last commit.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    /** Config keys the runner passes in (objects, not strings). */
    public static final String OPERATOR = "streamops.operator";

    public static final String TOPIC = "streamops.dead.letter.topic";
    public static final String REGISTRY = "streamops.registry.client";
    /** Optional: the clock dead letters are stamped with (the system's by default). */
    public static final String CLOCK = "streamops.dead.letter.clock";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String operator;
    private String topic;
    private Serializer<DeadLetter> serializer;
    private Clock clock;

    @Override
    public void configure(Map<String, ?> configs) {
        this.operator = (String) require(configs, OPERATOR);
        this.topic = (String) require(configs, TOPIC);
        SchemaRegistryClient registry = (SchemaRegistryClient) require(configs, REGISTRY);
        this.serializer = new KafkaAvroSerde<>(registry, DeadLetter.class, false, true).serializer();
        this.clock = configs.get(CLOCK) instanceof Clock c ? c : Clock.systemUTC();
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (!malformed(exception)) {
            LOG.error(
                    "{}: cannot read {}-{}@{} for a reason that is not the record's (e.g. the registry is down); "
                            + "failing the task",
                    operator,
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    exception);
            return DeserializationExceptionHandler.Response.fail();
        }
        LOG.warn(
                "{}: unreadable record {}-{}@{} sent to {}: {}",
                operator,
                record.topic(),
                record.partition(),
                record.offset(),
                topic,
                exception.getMessage());
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(
                context,
                record.key(),
                record.value(),
                "cannot deserialize: " + DeadLetters.reason(exception),
                exception)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(
            ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (exception instanceof KafkaException) {
            LOG.error(
                    "{}: platform failure while processing {}-{}@{}; failing the task",
                    operator,
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    exception);
            return ProcessingExceptionHandler.Response.fail();
        }
        LOG.warn(
                "{}: record {}-{}@{} failed processing, sent to {}: {}",
                operator,
                context.topic(),
                context.partition(),
                context.offset(),
                topic,
                exception.toString());
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(
                context,
                context.sourceRawKey(),
                context.sourceRawValue(),
                "processing failed in " + context.processorNodeId() + ": " + DeadLetters.reason(exception),
                exception)));
    }

    private ProducerRecord<byte[], byte[]> deadLetter(
            ErrorHandlerContext context, byte[] key, byte[] value, String reason, Exception exception) {
        DeadLetter letter = DeadLetters.of(
                operator,
                context.topic(),
                context.partition(),
                context.offset(),
                Instant.ofEpochMilli(context.timestamp()),
                key,
                value,
                reason,
                exception,
                clock.instant());
        return new ProducerRecord<>(topic, null, key, serializer.serialize(topic, letter));
    }

    /** Whether the record's own bytes are at fault, as opposed to the platform. */
    static boolean malformed(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof MalformedRecordException) {
                return true;
            }
        }
        return false;
    }

    private static Object require(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            throw new IllegalStateException("DeadLetterHandler needs config " + key);
        }
        return value;
    }
}
