package io.streamops.jobs.runtime;

import io.streamops.schemas.registry.RegistryClients;
import io.streamops.schemas.serde.AvroEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Kafka sources and exactly-once sinks as every job uses them. */
public final class KafkaIo {

    private KafkaIo() {}

    /**
     * Raw records of {@code topics}, read_committed, from the group's committed offsets (earliest for
     * a new group); offsets are committed on checkpoints. A bounded context reads up to the current
     * end of each partition and then finishes.
     */
    public static KafkaSource<KafkaRecord> source(JobContext context, String groupId, List<String> topics) {
        var builder = KafkaSource.<KafkaRecord>builder()
                .setProperties(context.kafka().properties())
                .setGroupId(groupId)
                .setTopics(topics)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "60000")
                .setDeserializer(new RawRecords());
        if (context.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** An exactly-once sink of Avro records in the Confluent wire format, keyed by {@code key}. */
    public static <T extends SpecificRecord> KafkaSink<T> sink(
            JobContext context, String topic, String transactionalIdPrefix, SerializableFunction<T, String> key) {
        Properties producer = context.kafka().properties();
        // Below the broker's transaction.max.timeout.ms (15 min), or the producer fails at start.
        producer.setProperty("transaction.timeout.ms", "300000");
        return KafkaSink.<T>builder()
                .setBootstrapServers(context.kafka().bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setRecordSerializer(new AvroRecords<>(topic, context.registry(), key))
                .build();
    }

    static final class RawRecords implements KafkaRecordDeserializationSchema<KafkaRecord> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<KafkaRecord> out) {
            out.collect(new KafkaRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value()));
        }

        @Override
        public TypeInformation<KafkaRecord> getProducedType() {
            return TypeInformation.of(KafkaRecord.class);
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) {}
    }

    static final class AvroRecords<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {
        private final String topic;
        private final RegistryClients registry;
        private final SerializableFunction<T, String> key;
        private transient AvroEncoder<T> encoder;

        AvroRecords(String topic, RegistryClients registry, SerializableFunction<T, String> key) {
            this.topic = topic;
            this.registry = registry;
            this.key = key;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            encoder = new AvroEncoder<>(registry.create(), true);
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
            byte[] k = key.apply(element).getBytes(StandardCharsets.UTF_8);
            return new ProducerRecord<>(topic, null, timestamp, k, encoder.encode(topic + "-value", element));
        }
    }
}
