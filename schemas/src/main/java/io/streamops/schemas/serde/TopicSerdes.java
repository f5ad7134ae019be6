package io.streamops.schemas.serde;

import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.topics.Codec;
import io.streamops.schemas.topics.Topic;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The key and value serdes of a topic, built from its declared codecs. */
public record TopicSerdes<K, V>(Serde<K> key, Serde<V> value) {

    public static <K, V> TopicSerdes<K, V> of(Topic<K, V> topic, SchemaRegistryClient registry, boolean autoRegister) {
        return new TopicSerdes<>(
                serde(topic.key(), registry, true, autoRegister), serde(topic.value(), registry, false, autoRegister));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T> Serde<T> serde(Codec<T> codec, SchemaRegistryClient registry, boolean isKey, boolean autoRegister) {
        if (codec instanceof Codec.Utf8) {
            return (Serde<T>) Serdes.String();
        }
        Codec.Avro<?> avro = (Codec.Avro<?>) codec;
        return new KafkaAvroSerde(registry, avro.type(), isKey, autoRegister);
    }
}
