package io.streamops.gateway;

import io.streamops.events.Heartbeat;
import io.streamops.events.RequestEvent;
import io.streamops.events.SpanEvent;
import io.streamops.gateway.extension.GatewayContext;
import io.streamops.gateway.extension.GatewayExtension;
import io.streamops.gateway.extension.Installed;
import io.streamops.gateway.filter.GatewayFilter;
import io.streamops.gateway.ingest.IngestHandler;
import io.streamops.gateway.tracing.SpanEventExporter;
import io.streamops.gateway.tracing.Tracing;
import io.streamops.gateway.view.DecisionViews;
import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.Topics;
import io.streamops.schemas.workflow.Plugins;
import io.streamops.schemas.workflow.Workflows;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway instance: its core (HTTP server and proxy, request events, spans, ingest) and
 * every {@link GatewayExtension} on the classpath (the auth server, workflows' filters), each
 * installed with the same context. Settings are validated, every key the gateway knows, first.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final List<GatewayExtension> EXTENSIONS = loadExtensions();

    private final Deque<AutoCloseable> parts;
    private final GatewayServer server;

    private Gateway(Deque<AutoCloseable> parts, GatewayServer server) {
        this.parts = parts;
        this.server = server;
    }

    /** The extensions on the classpath, by name. */
    public static List<GatewayExtension> extensions() {
        return EXTENSIONS;
    }

    /** Every key group a gateway reads: its core's, its extensions', and the workflows'. */
    public static List<ConfigGroup> configGroups() {
        List<ConfigGroup> groups = new ArrayList<>(List.of(GatewayConfig.KEYS));
        EXTENSIONS.forEach(e -> groups.addAll(e.config()));
        groups.addAll(Workflows.configGroups());
        return groups;
    }

    public static Gateway start(
            Settings settings, KafkaClients kafka, SchemaRegistryClient registry, TopicNaming naming) {
        settings.validate(configGroups());
        GatewayConfig config = GatewayConfig.from(settings);
        TopicBinder topics = TopicBinder.of(registry, true, naming);
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            Clock clock = Clock.systemUTC();
            Vertx vertx = Vertx.vertx();
            parts.push(() -> vertx.close().await());
            BoundTopic<String, RequestEvent> requests = topics.bind(Topics.REQUESTS);
            RequestEventPublisher events = new RequestEventPublisher(
                    eventProducer(kafka, config.gatewayId() + "-requests", requests),
                    requests.name(),
                    config.eventBuffer());
            parts.push(events);
            Optional<IngestHandler> ingest = Optional.empty();
            if (config.ingest()) {
                KafkaProducer<String, byte[]> raw = kafka.producer(
                        "streamops-" + config.gatewayId() + "-ingest",
                        Map.of(ProducerConfig.LINGER_MS_CONFIG, 2, ProducerConfig.ACKS_CONFIG, "all"),
                        new StringSerializer(),
                        new ByteArraySerializer());
                parts.push(raw);
                ingest = Optional.of(new IngestHandler(vertx, registry, raw, naming));
            }
            BoundTopic<String, SpanEvent> spans = topics.bind(Topics.SPANS);
            KafkaProducer<String, SpanEvent> spanProducer = eventProducer(kafka, config.gatewayId() + "-spans", spans);
            parts.push(spanProducer);
            Tracing tracing = new Tracing(Optional.of(new SpanEventExporter(spanProducer, spans.name(), "gateway")));
            parts.push(tracing);

            DecisionViews views = new DecisionViews(kafka, topics, clock);
            parts.push(views);
            BoundTopic<String, Heartbeat> heartbeats = topics.bind(Topics.HEARTBEATS);
            KafkaProducer<String, Heartbeat> beats =
                    eventProducer(kafka, config.gatewayId() + "-heartbeats", heartbeats);
            parts.push(beats);
            Membership membership = new Membership(config.gatewayId(), kafka, heartbeats, beats, clock);
            parts.push(membership);
            GatewayContext context =
                    new GatewayContext(vertx, config, settings, kafka, topics, views, membership, clock, parts);
            // A send can wait for metadata: never on an event loop.
            context.every(
                    1_000,
                    () -> vertx.executeBlocking(
                            () -> {
                                membership.beat();
                                return null;
                            },
                            false));
            List<GatewayFilter> filters = new ArrayList<>();
            List<Consumer<Router>> mounts = new ArrayList<>();
            for (GatewayExtension extension : EXTENSIONS) {
                Installed installed = extension.install(context);
                filters.addAll(installed.filters());
                mounts.addAll(installed.mounts());
            }
            context.every(1_000, views::prune);
            Map<String, Supplier<JsonObject>> health = new LinkedHashMap<>();
            health.put("decisionViews", () -> new JsonObject(new LinkedHashMap<>(views.counters())));
            GatewayServer server =
                    new GatewayServer(vertx, config, events, clock, mounts, filters, ingest, tracing, health);
            server.start().await();
            parts.push(server);
            return new Gateway(parts, server);
        } catch (RuntimeException e) {
            closeAll(parts);
            throw new IllegalStateException("gateway " + config.gatewayId() + " did not start: " + e.getMessage(), e);
        }
    }

    /** A producer of events that may wait for Kafka on its sender thread, never on a response. */
    private static <V> KafkaProducer<String, V> eventProducer(
            KafkaClients kafka, String name, BoundTopic<String, V> topic) {
        return kafka.producer(
                "streamops-" + name,
                Map.of(
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4",
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        60_000),
                topic.key().serializer(),
                topic.value().serializer());
    }

    private static List<GatewayExtension> loadExtensions() {
        return Plugins.load(GatewayExtension.class, GatewayExtension::name);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        closeAll(parts);
    }

    private static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", part, e.toString());
            }
        }
    }
}
