package io.streamops.gateway;

import io.streamops.events.RequestEvent;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.Topics;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/** A running gateway instance: its HTTP server, its event publisher and their Vert.x. */
public final class Gateway implements AutoCloseable {

    private final Vertx vertx;
    private final RequestEventPublisher events;
    private final GatewayServer server;

    private Gateway(Vertx vertx, RequestEventPublisher events, GatewayServer server) {
        this.vertx = vertx;
        this.events = events;
        this.server = server;
    }

    public static Gateway start(GatewayConfig config, String bootstrapServers, SchemaRegistryClient registry, TopicBinder topics) {
        BoundTopic<String, RequestEvent> requests = topics.bind(Topics.REQUESTS);
        KafkaProducer<String, RequestEvent> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ProducerConfig.CLIENT_ID_CONFIG, "streamops-" + config.gatewayId(),
                        ProducerConfig.LINGER_MS_CONFIG, 5,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                        // The sender thread may wait for Kafka; responses never do.
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000),
                requests.key().serializer(),
                requests.value().serializer());
        RequestEventPublisher events = new RequestEventPublisher(producer, requests.name(), config.eventBuffer());
        Vertx vertx = Vertx.vertx();
        GatewayServer server = new GatewayServer(vertx, config, events, Clock.systemUTC());
        try {
            server.start().await();
        } catch (RuntimeException e) {
            events.close();
            vertx.close().await();
            throw new IllegalStateException("gateway cannot listen on " + config.host() + ":" + config.port() + ": " + e, e);
        }
        return new Gateway(vertx, events, server);
    }

    public int port() {
        return server.port();
    }

    public RequestEventPublisher.Stats eventStats() {
        return events.stats();
    }

    @Override
    public void close() {
        server.close();
        events.close();
        vertx.close().await();
    }
}
