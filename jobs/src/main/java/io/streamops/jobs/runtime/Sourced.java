package io.streamops.jobs.runtime;

import io.streamops.common.InputRef;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * A decoded event with where it was read from, so that decisions can cite their inputs. A Flink
 * POJO; {@link #type} gives Flink its type with Avro's serializer for the event.
 */
public class Sourced<T extends SpecificRecordBase> {
    public T value;
    public String topic;
    public int partition;
    public long offset;
    public long timestamp;

    public Sourced() {}

    public Sourced(T value, KafkaRecord from) {
        this.value = value;
        this.topic = from.topic;
        this.partition = from.partition;
        this.offset = from.offset;
        this.timestamp = from.timestamp;
    }

    /** Where this event lives, with its id, for a decision's evidence. */
    public InputRef ref(String eventId) {
        return InputRef.newBuilder()
                .setTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setEventId(eventId)
                .setEventTime(Instant.ofEpochMilli(timestamp))
                .build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T extends SpecificRecordBase> TypeInformation<Sourced<T>> type(Class<T> valueType) {
        return (TypeInformation) Types.POJO(
                Sourced.class,
                Map.of(
                        "value", new AvroTypeInfo<>(valueType),
                        "topic", Types.STRING,
                        "partition", Types.INT,
                        "offset", Types.LONG,
                        "timestamp", Types.LONG));
    }
}
