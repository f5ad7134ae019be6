package io.streamops.schemas.topics;

import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.wait.Deadline;
import io.streamops.schemas.wait.Poll;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's view of a whole topic: every record, from the beginning, applied in order
 * by a reader thread, read_committed. The instance's state is rebuilt from the topic at start;
 * {@link #awaitApplied} gives read-your-writes after a produce, {@link #awaitCommittedEnd} a view
 * that holds everything committed so far. A record that cannot be read is skipped and logged (it
 * stays in the topic), never stopping the view.
 */
public final class TopicView<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicView.class);

    private final String topic;
    /** Reads what is committed, from the partitions it is given, committing no offsets of its own. */
    private static final Map<String, Object> READ_COMMITTED =
            Map.of("isolation.level", "read_committed", "enable.auto.commit", false);

    private final KafkaClients kafka;
    private final KafkaConsumer<String, V> consumer;
    private final Consumer<ConsumerRecord<String, V>> apply;
    private final Map<Integer, Long> applied = new HashMap<>();
    private final Thread reader;
    private final List<TopicPartition> partitions;
    private volatile boolean running = true;
    private volatile RuntimeException failure;
    /** For end offsets asked from request threads (the consumer belongs to the reader thread); made on first use. */
    private Admin admin;

    public TopicView(
            KafkaClients kafka,
            String topic,
            Deserializer<String> keys,
            Deserializer<V> values,
            Consumer<ConsumerRecord<String, V>> apply) {
        this.topic = topic;
        this.kafka = kafka;
        this.apply = apply;
        this.consumer = kafka.consumer("streamops-view-" + topic, READ_COMMITTED, keys, values);
        this.partitions = partitions(topic, Duration.ofSeconds(30));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        this.reader = new Thread(this::readLoop, "view-" + topic);
        this.reader.setDaemon(true);
        this.reader.start();
        try {
            end.forEach((tp, offset) -> awaitNext(tp.partition(), offset, Duration.ofSeconds(60)));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Reads every committed record of a topic once, from the beginning to its current end, and
     * hands each to {@code each}: for tools that look at a topic's history and stop.
     */
    public static <V> void readAll(
            KafkaClients kafka,
            String topic,
            Deserializer<String> keys,
            Deserializer<V> values,
            Consumer<ConsumerRecord<String, V>> each) {
        try (KafkaConsumer<String, V> consumer =
                kafka.consumer("streamops-read-" + topic, READ_COMMITTED, keys, values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    /** The topic's partitions; a topic created a moment ago may take a moment to show them. */
    private List<TopicPartition> partitions(String topic, Duration timeout) {
        try {
            return Poll.value("the partitions of " + topic, timeout, () -> {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
                return partitions.isEmpty() ? null : partitions;
            });
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /**
     * Writes a record of this view's topic and waits until this view has applied it: read-your-writes
     * for state kept as a topic (users and sessions, signing keys, the registry's schemas).
     *
     * @throws IllegalStateException when the write or the wait fails or takes longer than {@code timeout}
     */
    public <K> RecordMetadata writeAndAwait(Producer<K, V> producer, ProducerRecord<K, V> record, Duration timeout) {
        Deadline deadline = Deadline.in(timeout);
        RecordMetadata written;
        try {
            written = producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to " + record.topic() + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "no answer from Kafka writing to " + record.topic() + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted writing to " + record.topic(), e);
        }
        awaitApplied(written, deadline.remaining());
        return written;
    }

    /** Waits until the record a produce returned has been applied to this view. */
    public void awaitApplied(RecordMetadata written, Duration timeout) {
        awaitNext(written.partition(), written.offset() + 1, timeout);
    }

    /**
     * Waits until this view has applied every record committed on the topic when it was called:
     * one ListOffsets round trip (read_committed), then the reader catches up.
     */
    public void awaitCommittedEnd(Duration timeout) {
        Deadline deadline = Deadline.in(timeout);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends;
        try {
            ends = admin().listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("end offsets of " + topic + " unavailable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        ends.forEach((tp, end) -> awaitNext(tp.partition(), end.offset(), deadline.remaining()));
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = kafka.admin("streamops-view-" + topic + "-offsets");
        }
        return admin;
    }

    private void awaitNext(int partition, long nextOffset, Duration timeout) {
        Deadline deadline = Deadline.in(timeout);
        synchronized (applied) {
            while (applied.getOrDefault(partition, 0L) < nextOffset) {
                if (failure != null) {
                    throw failure;
                }
                deadline.check("the view of " + topic + " to reach " + partition + "@" + nextOffset);
                try {
                    applied.wait(Math.max(1, deadline.remaining().toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    private void readLoop() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                        try {
                            apply.accept(record);
                        } catch (RuntimeException e) {
                            LOG.warn(
                                    "Skipping record {}-{}@{} its view cannot apply: {}",
                                    topic,
                                    record.partition(),
                                    record.offset(),
                                    e.toString());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    LOG.warn(
                            "Skipping unreadable record {}@{} of {}: {}",
                            e.topicPartition(),
                            e.offset(),
                            topic,
                            e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
                synchronized (applied) {
                    for (TopicPartition tp : consumer.assignment()) {
                        applied.put(tp.partition(), consumer.position(tp));
                    }
                    applied.notifyAll();
                }
            }
        } catch (WakeupException e) {
            // Closing.
        } catch (RuntimeException e) {
            LOG.error("View of {} failed", topic, e);
            failure = e;
        } finally {
            consumer.close();
            synchronized (applied) {
                applied.notifyAll();
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        }
        running = false;
        consumer.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
