package io.streamops.testkit;

import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.wait.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads a topic from the beginning with read_committed isolation, as a downstream consumer would. */
public final class TopicReader<K, V> implements AutoCloseable {

    private final KafkaConsumer<K, V> consumer;
    private final List<ConsumerRecord<K, V>> seen = new ArrayList<>();

    public TopicReader(KafkaClients kafka, String topic, Deserializer<K> keys, Deserializer<V> values) {
        this.consumer = kafka.consumer(
                "test-reader-" + UUID.randomUUID(),
                Map.of(
                        "group.id",
                        "test-reader-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest",
                        "isolation.level",
                        "read_committed",
                        "enable.auto.commit",
                        false),
                keys,
                values);
        consumer.subscribe(List.of(topic));
    }

    /** Polls until {@code done} holds for all records read so far, and returns them. */
    public List<ConsumerRecord<K, V>> readUntil(Duration timeout, Predicate<List<ConsumerRecord<K, V>>> done) {
        Deadline deadline = Deadline.in(timeout);
        while (!done.test(seen)) {
            deadline.check("records that satisfy the test; read so far: " + seen.size());
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    /**
     * Reads up to the current end of every partition (for read_committed, the last stable offset)
     * and returns everything read: what a consumer sees once all open transactions are settled.
     */
    public List<ConsumerRecord<K, V>> readToEnd(Duration timeout) {
        Deadline deadline = Deadline.in(timeout);
        while (consumer.assignment().isEmpty()) {
            deadline.check("partitions to be assigned");
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            deadline.check("the end of the topic; read " + seen.size());
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
