package io.streamops.testkit;

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

    public TopicReader(String bootstrapServers, String topic, Deserializer<K> keys, Deserializer<V> values) {
        this.consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        bootstrapServers,
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
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(seen)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + "; read so far: " + seen.size() + " records");
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    /**
     * Reads up to the current end of every partition (for read_committed, the last stable offset)
     * and returns everything read: what a consumer sees once all open transactions are settled.
     */
    public List<ConsumerRecord<K, V>> readToEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no partitions assigned within " + timeout);
            }
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not at the end of the topic after " + timeout + "; read " + seen.size());
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
