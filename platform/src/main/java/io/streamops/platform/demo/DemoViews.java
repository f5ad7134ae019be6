package io.streamops.platform.demo;

import io.streamops.events.WriteIntent;
import io.streamops.events.WriteOp;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.serde.BoundTopic;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The demo shop's view counters (workflow 1): fifty product views a second, most of them of a few
 * popular products, each written as an INCREMENT intent of {@value #TABLE} rather than an UPDATE of
 * its own; the write-batching operator and the JDBC sink make them a few statements a second.
 */
public final class DemoViews implements AutoCloseable {

    public static final String TABLE = "streamops_demo.product_views";

    private final KafkaProducer<String, WriteIntent> producer;
    private final String topic;
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-views");
        t.setDaemon(true);
        return t;
    });
    private long tick;

    public DemoViews(KafkaClients kafka, BoundTopic<String, WriteIntent> intents, Clock clock) {
        this.producer = kafka.producer(
                "streamops-demo-views",
                Map.of("linger.ms", 20, "acks", "all"),
                intents.key().serializer(),
                intents.value().serializer());
        this.topic = intents.name();
        this.clock = clock;
        scheduler.scheduleAtFixedRate(this::emit, 0, 100, TimeUnit.MILLISECONDS);
    }

    private void emit() {
        for (int i = 0; i < 5; i++) {
            tick++;
            int product = 1 + (int) Math.pow(DemoProducts.ROWS, (tick * 0.618034) % 1.0 * 0.8);
            producer.send(new ProducerRecord<>(
                    topic,
                    Integer.toString(product),
                    WriteIntent.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setOccurredAt(clock.instant())
                            .setTable(TABLE)
                            .setOp(WriteOp.INCREMENT)
                            .setKey(Map.of("id", Integer.toString(product)))
                            .setValues(Map.of("views", "1"))
                            .build()));
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        producer.close();
    }
}
