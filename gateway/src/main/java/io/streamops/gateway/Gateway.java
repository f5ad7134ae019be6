package io.streamops.gateway;

import io.streamops.decisions.SigningKey;
import io.streamops.events.AuthEvent;
import io.streamops.events.RequestEvent;
import io.streamops.events.SpanEvent;
import io.streamops.gateway.auth.AuthConfig;
import io.streamops.gateway.auth.AuthRoutes;
import io.streamops.gateway.auth.AuthService;
import io.streamops.gateway.auth.AuthState;
import io.streamops.gateway.auth.OriginCheck;
import io.streamops.gateway.auth.PasswordHasher;
import io.streamops.gateway.auth.SessionCookies;
import io.streamops.gateway.auth.SignInLedger;
import io.streamops.gateway.auth.jwt.JwtIssuer;
import io.streamops.gateway.auth.jwt.JwtVerifier;
import io.streamops.gateway.auth.jwt.KeyRotation;
import io.streamops.gateway.auth.jwt.KeyRotator;
import io.streamops.gateway.auth.jwt.KeySource;
import io.streamops.gateway.auth.jwt.KeySources;
import io.streamops.gateway.auth.jwt.MasterKey;
import io.streamops.gateway.auth.jwt.RemoteJwks;
import io.streamops.gateway.auth.jwt.SigningKeyRing;
import io.streamops.gateway.ingest.IngestHandler;
import io.streamops.gateway.tracing.SpanEventExporter;
import io.streamops.gateway.tracing.Tracing;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.TopicView;
import io.streamops.schemas.topics.Topics;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway instance: HTTP server and proxy, request-event publisher, and (unless auth is
 * off) its views of the auth-events and signing-keys topics, the auth API and the key rotator.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Deque<AutoCloseable> parts;
    private final GatewayServer server;

    private Gateway(Deque<AutoCloseable> parts, GatewayServer server) {
        this.parts = parts;
        this.server = server;
    }

    public static Gateway start(
            GatewayConfig config, String bootstrapServers, SchemaRegistryClient registry, TopicNaming naming) {
        TopicBinder topics = TopicBinder.of(registry, true, naming);
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            Clock clock = Clock.systemUTC();
            Vertx vertx = Vertx.vertx();
            parts.push(() -> vertx.close().await());
            BoundTopic<String, RequestEvent> requests = topics.bind(Topics.REQUESTS);
            RequestEventPublisher events = new RequestEventPublisher(
                    producer(
                            bootstrapServers,
                            config.gatewayId() + "-requests",
                            requests.key(),
                            requests.value(),
                            false),
                    requests.name(),
                    config.eventBuffer());
            parts.push(events);
            Optional<GatewayServer.Auth> auth = (config.auth().enabled()
                            ? Optional.of(startAuth(vertx, config, bootstrapServers, topics, clock, parts))
                            : Optional.<GatewayServer.Auth>empty())
                    .or(() -> config.auth()
                            .external()
                            .map(external -> externalOnly(config.auth(), external, clock, parts)));
            Optional<IngestHandler> ingest = Optional.empty();
            if (config.ingest()) {
                KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ProducerConfig.CLIENT_ID_CONFIG,
                                "streamops-" + config.gatewayId() + "-ingest",
                                ProducerConfig.LINGER_MS_CONFIG,
                                2,
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new ByteArraySerializer());
                parts.push(raw);
                ingest = Optional.of(new IngestHandler(vertx, registry, raw, naming));
            }
            BoundTopic<String, SpanEvent> spans = topics.bind(Topics.SPANS);
            KafkaProducer<String, SpanEvent> spanProducer =
                    producer(bootstrapServers, config.gatewayId() + "-spans", spans.key(), spans.value(), false);
            parts.push(spanProducer);
            Tracing tracing = new Tracing(Optional.of(new SpanEventExporter(spanProducer, spans.name(), "gateway")));
            parts.push(tracing);
            GatewayServer server = new GatewayServer(vertx, config, events, clock, auth, ingest, tracing);
            server.start().await();
            parts.push(server);
            return new Gateway(parts, server);
        } catch (RuntimeException e) {
            closeAll(parts);
            throw new IllegalStateException("gateway " + config.gatewayId() + " did not start: " + e.getMessage(), e);
        }
    }

    /** Verification only, against an external issuer (this gateway is not the auth server). */
    private static GatewayServer.Auth externalOnly(
            AuthConfig ac, AuthConfig.External external, Clock clock, Deque<AutoCloseable> parts) {
        RemoteJwks remote = remoteJwks(external, clock, parts);
        JwtVerifier verifier =
                new JwtVerifier(remote, Set.of(external.issuer()), Set.of(external.audience()), ac.clockSkew(), clock);
        return new GatewayServer.Auth(Optional.empty(), verifier, Optional.of(remote));
    }

    private static RemoteJwks remoteJwks(AuthConfig.External external, Clock clock, Deque<AutoCloseable> parts) {
        RemoteJwks remote =
                new RemoteJwks(RemoteJwks.http(external.jwksUrl()), external.refresh(), external.minRefetch(), clock);
        parts.push(remote);
        return remote;
    }

    private static GatewayServer.Auth startAuth(
            Vertx vertx,
            GatewayConfig config,
            String bootstrap,
            TopicBinder topics,
            Clock clock,
            Deque<AutoCloseable> parts) {
        AuthConfig ac = config.auth();
        MasterKey master = MasterKey.fromBase64(ac.masterKey());

        SigningKeyRing ring = new SigningKeyRing(master, clock);
        BoundTopic<String, SigningKey> keyTopic = topics.bind(Topics.SIGNING_KEYS);
        TopicView<SigningKey> keyView = new TopicView<>(
                bootstrap,
                keyTopic.name(),
                keyTopic.key().deserializer(),
                keyTopic.value().deserializer(),
                r -> ring.apply(r.key(), r.value()));
        parts.push(keyView);
        KafkaProducer<String, SigningKey> keyProducer =
                producer(bootstrap, config.gatewayId() + "-keys", keyTopic.key(), keyTopic.value(), true);
        parts.push(keyProducer);
        KeyRotator rotator = new KeyRotator(
                new KeyRotation(ac.algorithm(), ac.rotationInterval(), ac.rotationLead(), ac.grace(), master),
                ring,
                keyProducer,
                keyView,
                keyTopic.name(),
                clock);
        rotator.tick();
        long period = Math.max(1_000, Math.min(30_000, ac.rotationLead().toMillis() / 4));
        long timer = vertx.setPeriodic(
                period,
                id -> vertx.executeBlocking(
                                () -> {
                                    rotator.tick();
                                    return null;
                                },
                                false)
                        .onFailure(e -> LOG.warn("Key rotation round failed; retrying next round: {}", e.toString())));
        parts.push(() -> vertx.cancelTimer(timer));

        AuthState state = new AuthState(Duration.ofHours(1));
        BoundTopic<String, AuthEvent> authTopic = topics.bind(Topics.AUTH_EVENTS);
        TopicView<AuthEvent> authView = new TopicView<>(
                bootstrap,
                authTopic.name(),
                authTopic.key().deserializer(),
                authTopic.value().deserializer(),
                r -> {
                    if (r.value() != null) {
                        state.apply(r.value(), new SignInLedger.Position(r.partition(), r.offset()));
                    }
                });
        parts.push(authView);
        KafkaProducer<String, AuthEvent> authProducer =
                producer(bootstrap, config.gatewayId() + "-auth", authTopic.key(), authTopic.value(), true);
        parts.push(authProducer);

        AuthService service = new AuthService(
                state,
                authView,
                authProducer,
                authTopic.name(),
                new PasswordHasher(),
                AuthService.Config.defaults(),
                clock);
        JwtIssuer issuer = new JwtIssuer(ring, ac.issuer(), ac.issuer(), ac.tokenLifetime(), clock);
        long prune = vertx.setPeriodic(60_000, id -> {
            state.prune(clock.instant());
            issuer.prune(clock.instant());
        });
        parts.push(() -> vertx.cancelTimer(prune));
        Optional<RemoteJwks> remote = ac.external().map(e -> remoteJwks(e, clock, parts));
        Set<String> issuers = new HashSet<>(Set.of(ac.issuer()));
        Set<String> audiences = new HashSet<>(Set.of(ac.issuer()));
        ac.external().ifPresent(e -> {
            issuers.add(e.issuer());
            audiences.add(e.audience());
        });
        KeySource keys =
                remote.<KeySource>map(r -> new KeySources(List.of(ring, r))).orElse(ring);
        JwtVerifier verifier = new JwtVerifier(keys, issuers, audiences, ac.clockSkew(), clock);
        AuthRoutes routes = new AuthRoutes(
                vertx,
                service,
                issuer,
                ring,
                new SessionCookies(ac.secret()),
                new OriginCheck(ac.trustedOrigins()),
                request -> GatewayServer.clientAddress(request, config.trustForwardedFor()),
                Duration.ofMinutes(5),
                ac.baseUrl().startsWith("https://"));
        return new GatewayServer.Auth(Optional.of(routes), verifier, remote);
    }

    private static <V> KafkaProducer<String, V> producer(
            String bootstrap, String clientId, Serde<String> keys, Serde<V> values, boolean durable) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "streamops-" + clientId,
                        ProducerConfig.LINGER_MS_CONFIG,
                        durable ? 0 : 5,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4",
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        // Request events: the sender thread may wait for Kafka, responses never do.
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        60_000),
                keys.serializer(),
                values.serializer());
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
