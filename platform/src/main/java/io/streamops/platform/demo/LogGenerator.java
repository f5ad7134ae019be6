package io.streamops.platform.demo;

import io.streamops.events.LogEvent;
import io.streamops.events.LogLevel;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.serde.BoundTopic;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Demo log lines, as services would ship them: a steady trickle of INFO from three services, and
 * every 15 seconds a burst of errors from checkout, which the log-anomaly job reports.
 */
public final class LogGenerator implements AutoCloseable {

    private static final List<String> SERVICES = List.of("checkout", "search", "catalog");
    private static final int BURST = 8;

    private final KafkaProducer<String, LogEvent> producer;
    private final String topic;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-logs");
        t.setDaemon(true);
        return t;
    });
    private long tick;

    public LogGenerator(KafkaClients kafka, BoundTopic<String, LogEvent> logs, Clock clock) {
        this.producer = kafka.producer(
                "streamops-demo-logs",
                Map.of("linger.ms", 20),
                logs.key().serializer(),
                logs.value().serializer());
        this.topic = logs.name();
        this.clock = clock;
        scheduler.scheduleAtFixedRate(this::emit, 0, 200, TimeUnit.MILLISECONDS);
    }

    private void emit() {
        tick++;
        String service = SERVICES.get((int) (tick % SERVICES.size()));
        send(service, LogLevel.INFO, "handled request");
        if (tick % 75 == 10) {
            for (int i = 0; i < BURST; i++) {
                send("checkout", LogLevel.ERROR, "payment provider timed out");
            }
        }
    }

    private void send(String service, LogLevel level, String message) {
        Instant now = clock.instant();
        LogEvent event = LogEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now)
                .setService(service)
                .setInstance(service + "-1")
                .setLevel(level)
                .setLogger("demo")
                .setMessage(message)
                .setTraceId(null)
                .setAttributes(Map.of())
                .build();
        producer.send(new ProducerRecord<>(topic, null, now.toEpochMilli(), service, event));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        producer.close();
    }
}
