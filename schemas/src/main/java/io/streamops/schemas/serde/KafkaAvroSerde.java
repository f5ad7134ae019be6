package io.streamops.schemas.serde;

import io.streamops.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} for specific records in the Confluent wire format, for producers, consumers
 * and Kafka Streams alike. Subjects follow Confluent's TopicNameStrategy ({@code <topic>-value} or
 * {@code <topic>-key}), so records interoperate with Confluent's own serializers.
 */
public final class KafkaAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final AvroEncoder<T> encoder;
    private final AvroDecoder<T> decoder;
    private final String subjectSuffix;

    public KafkaAvroSerde(SchemaRegistryClient registry, Class<T> type, boolean isKey, boolean autoRegister) {
        this.encoder = new AvroEncoder<>(registry, autoRegister);
        this.decoder = new AvroDecoder<>(registry, type);
        this.subjectSuffix = isKey ? "-key" : "-value";
    }

    @Override
    public Serializer<T> serializer() {
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, T data) {
                return data == null ? null : encoder.encode(topic + subjectSuffix, data);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return new Deserializer<>() {
            @Override
            public T deserialize(String topic, byte[] data) {
                if (data == null) {
                    return null;
                }
                try {
                    return decoder.decode(data);
                } catch (MalformedRecordException e) {
                    throw new SerializationException("cannot read record of topic " + topic + ": " + e.getMessage(), e);
                }
            }

            @Override
            public T deserialize(String topic, Headers headers, byte[] data) {
                return deserialize(topic, data);
            }
        };
    }
}
