package io.streamops.gateway.extension;

import io.streamops.gateway.GatewayConfig;
import io.streamops.gateway.Membership;
import io.streamops.gateway.view.DecisionViews;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Deque;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What an extension starts from in one gateway instance: its settings, the core config (routes), the
 * one Kafka client factory, topics bound to the deployment, the shared decision views, the event
 * loops and the clock. What it opens it hands to {@link #closeOnStop}.
 */
public final class GatewayContext {

    private final Vertx vertx;
    private final GatewayConfig config;
    private final Settings settings;
    private final KafkaClients kafka;
    private final TopicBinder topics;
    private final DecisionViews views;
    private final Membership membership;
    private final Clock clock;
    private final Deque<AutoCloseable> closeables;

    public GatewayContext(
            Vertx vertx,
            GatewayConfig config,
            Settings settings,
            KafkaClients kafka,
            TopicBinder topics,
            DecisionViews views,
            Membership membership,
            Clock clock,
            Deque<AutoCloseable> closeables) {
        this.vertx = vertx;
        this.config = config;
        this.settings = settings;
        this.kafka = kafka;
        this.topics = topics;
        this.views = views;
        this.membership = membership;
        this.clock = clock;
        this.closeables = closeables;
    }

    public Vertx vertx() {
        return vertx;
    }

    public GatewayConfig config() {
        return config;
    }

    public Settings settings() {
        return settings;
    }

    public KafkaClients kafka() {
        return kafka;
    }

    public TopicBinder topics() {
        return topics;
    }

    public DecisionViews views() {
        return views;
    }

    /** The gateway instances of the deployment that are live. */
    public Membership membership() {
        return membership;
    }

    public Clock clock() {
        return clock;
    }

    /** Closed when the gateway stops, in reverse order of registration. */
    public <T extends AutoCloseable> T closeOnStop(T closeable) {
        closeables.push(closeable);
        return closeable;
    }

    /**
     * A producer for records that must not be lost (auth events, signing keys): acks=all, idempotent,
     * sent at once; closed when the gateway stops.
     */
    public <K, V> KafkaProducer<K, V> durableProducer(String name, BoundTopic<K, V> topic) {
        return closeOnStop(kafka.producer(
                "streamops-" + config.gatewayId() + "-" + name,
                Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        0,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4"),
                topic.key().serializer(),
                topic.value().serializer()));
    }

    /** A periodic task on the event loops, cancelled when the gateway stops. */
    public void every(long periodMillis, Runnable task) {
        long timer = vertx.setPeriodic(periodMillis, id -> task.run());
        closeables.push(() -> vertx.cancelTimer(timer));
    }
}
