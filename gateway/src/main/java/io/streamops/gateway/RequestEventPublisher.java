package io.streamops.gateway;

import io.streamops.events.RequestEvent;
import io.streamops.schemas.keys.ClientKeys;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes request events off the response path. {@link #offer} never blocks: events wait in a
 * bounded buffer for a sender thread; when the buffer is full (Kafka slow or down) the newest event
 * is dropped and counted. Dropping the newest keeps what is already queued in order and costs a
 * response nothing.
 */
public final class RequestEventPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RequestEventPublisher.class);

    private final BlockingQueue<RequestEvent> buffer;
    private final Producer<String, RequestEvent> producer;
    private final String topic;
    private final Thread sender;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;

    public RequestEventPublisher(Producer<String, RequestEvent> producer, String topic, int capacity) {
        this.producer = producer;
        this.topic = topic;
        this.buffer = new ArrayBlockingQueue<>(capacity);
        this.sender = new Thread(this::sendLoop, "request-event-sender");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Queues an event; false if the buffer is full and the event was dropped. */
    public boolean offer(RequestEvent event) {
        if (buffer.offer(event)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    public Stats stats() {
        return new Stats(published.get(), dropped.get(), failed.get(), buffer.size());
    }

    /** Counts since start: sent and acknowledged, dropped for a full buffer, failed in Kafka; queued now. */
    public record Stats(long published, long dropped, long failed, int queued) {}

    private void sendLoop() {
        while (running || !buffer.isEmpty()) {
            RequestEvent event;
            try {
                event = buffer.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (event == null) {
                continue;
            }
            try {
                String key = ClientKeys.of(event.getPrincipal(), event.getClientAddress());
                producer.send(
                        new ProducerRecord<>(topic, null, event.getOccurredAt().toEpochMilli(), key, event),
                        (metadata, error) -> {
                            if (error == null) {
                                published.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                                LOG.debug("request event not published: {}", error.toString());
                            }
                        });
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                LOG.warn("request event not published: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
