package io.streamops.schemas.serde;

import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.topics.Codec;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicNaming;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Binds a declared topic to a deployment: its name under the deployment's {@link TopicNaming} and
 * serdes built from its codecs. Operators receive a binder, so tests and deployments choose names
 * and registries without touching operator code.
 */
public interface TopicBinder {

    <K, V> BoundTopic<K, V> bind(Topic<K, V> declared);

    /**
     * A serde of Avro records for an operator's internal topics (repartitions, changelogs), whose
     * names Kafka Streams derives: the same registry and wire format as declared topics.
     */
    <V extends SpecificRecord> Serde<V> internal(Class<V> type);

    /** Names by {@code naming}, values through the schema registry. */
    static TopicBinder of(SchemaRegistryClient registry, boolean autoRegister, TopicNaming naming) {
        return new TopicBinder() {
            @Override
            public <K, V> BoundTopic<K, V> bind(Topic<K, V> declared) {
                Topic<K, V> topic = naming.resolve(declared);
                return new BoundTopic<>(
                        topic,
                        serde(topic.key(), registry, true, autoRegister),
                        serde(topic.value(), registry, false, autoRegister));
            }

            @Override
            public <V extends SpecificRecord> Serde<V> internal(Class<V> type) {
                return new KafkaAvroSerde<>(registry, type, false, autoRegister);
            }
        };
    }

    /** Declared names, values through the schema registry. */
    static TopicBinder of(SchemaRegistryClient registry) {
        return of(registry, true, TopicNaming.DECLARED);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Serde<T> serde(
            Codec<T> codec, SchemaRegistryClient registry, boolean isKey, boolean autoRegister) {
        if (codec instanceof Codec.Utf8) {
            return (Serde<T>) Serdes.String();
        }
        Codec.Avro<?> avro = (Codec.Avro<?>) codec;
        return new KafkaAvroSerde(registry, avro.type(), isKey, autoRegister);
    }
}
