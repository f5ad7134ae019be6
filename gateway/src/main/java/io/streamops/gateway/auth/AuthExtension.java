package io.streamops.gateway.auth;

import com.google.auto.service.AutoService;
import io.streamops.decisions.SigningKey;
import io.streamops.events.AuthEvent;
import io.streamops.gateway.GatewayConfig;
import io.streamops.gateway.GatewayServer;
import io.streamops.gateway.Route;
import io.streamops.gateway.auth.jwt.JwtIssuer;
import io.streamops.gateway.auth.jwt.JwtVerifier;
import io.streamops.gateway.auth.jwt.KeySource;
import io.streamops.gateway.auth.jwt.KeySources;
import io.streamops.gateway.auth.jwt.RemoteJwks;
import io.streamops.gateway.extension.GatewayContext;
import io.streamops.gateway.extension.GatewayExtension;
import io.streamops.gateway.extension.Installed;
import io.streamops.gateway.keys.KeyRotation;
import io.streamops.gateway.keys.KeyRotator;
import io.streamops.gateway.keys.MasterKey;
import io.streamops.gateway.keys.SigningKeyRing;
import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.topics.TopicView;
import io.streamops.schemas.topics.Topics;
import io.streamops.workflows.keys.KeysWorkflow;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Auth in a gateway instance: Better-Auth's API (when this gateway is the auth server), with users
 * and sessions as events on auth-events and JWTs signed by the keys of workflow 9 (rotated here,
 * applied by every instance's ring); and the filter that guards protected routes, verifying this
 * gateway's tokens or an external issuer's.
 */
@AutoService(GatewayExtension.class)
public final class AuthExtension implements GatewayExtension {

    private static final Logger LOG = LoggerFactory.getLogger(AuthExtension.class);

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public List<ConfigGroup> config() {
        return List.of(AuthConfig.KEYS);
    }

    @Override
    public Set<String> implementsParts() {
        return Set.of(KeysWorkflow.OPERATOR, "signing-key-ring");
    }

    @Override
    public Installed install(GatewayContext context) {
        GatewayConfig config = context.config();
        AuthConfig ac = AuthConfig.from(context.settings(), config.localUrl());
        Set<String> guarded = new HashSet<>();
        for (Route route : config.routes()) {
            if (context.settings().get(AuthConfig.ROUTE_AUTH, route.name())) {
                guarded.add(route.name());
            }
        }
        if (config.ingest() && context.settings().get(AuthConfig.INGEST_AUTH)) {
            guarded.add(GatewayServer.INGEST_ROUTE.name());
        }
        List<Consumer<Router>> mounts = new ArrayList<>();
        Optional<RemoteJwks> remote = ac.external()
                .map(e -> context.closeOnStop(
                        new RemoteJwks(RemoteJwks.http(e.jwksUrl()), e.refresh(), e.minRefetch(), context.clock())));
        Set<String> issuers = new HashSet<>();
        Set<String> audiences = new HashSet<>();
        ac.external().ifPresent(e -> {
            issuers.add(e.issuer());
            audiences.add(e.audience());
        });
        Optional<KeySource> keys = remote.map(r -> r);
        if (ac.enabled()) {
            SigningKeyRing ring = startKeys(context, ac);
            mounts.add(startAuthServer(context, ac, ring)::mount);
            issuers.add(ac.issuer());
            audiences.add(ac.issuer());
            keys = Optional.of(
                    remote.<KeySource>map(r -> new KeySources(List.of(ring, r))).orElse(ring));
        }
        Optional<JwtVerifier> verifier =
                keys.map(k -> new JwtVerifier(k, issuers, audiences, ac.clockSkew(), context.clock()));
        List<io.streamops.gateway.filter.GatewayFilter> filters =
                guarded.isEmpty() ? List.of() : List.of(new AuthFilter(context.vertx(), verifier, remote, guarded));
        return new Installed(filters, mounts);
    }

    /** Workflow 9 in this instance: the ring of signing keys from its topic, and the rotator that publishes the next. */
    private static SigningKeyRing startKeys(GatewayContext context, AuthConfig ac) {
        MasterKey master = MasterKey.fromBase64(ac.masterKey());
        SigningKeyRing ring = new SigningKeyRing(master, context.clock());
        BoundTopic<String, SigningKey> topic = context.topics().bind(KeysWorkflow.SIGNING_KEYS);
        TopicView<SigningKey> view = context.closeOnStop(new TopicView<>(
                context.kafka(),
                topic.name(),
                topic.key().deserializer(),
                topic.value().deserializer(),
                r -> ring.apply(r.key(), r.value())));
        KeyRotator rotator = new KeyRotator(
                new KeyRotation(ac.algorithm(), ac.rotationInterval(), ac.rotationLead(), ac.grace(), master),
                ring,
                context.durableProducer("keys", topic),
                view,
                topic.name(),
                context.clock());
        rotator.tick();
        long period = Math.max(1_000, Math.min(30_000, ac.rotationLead().toMillis() / 4));
        context.every(
                period,
                () -> context.vertx()
                        .executeBlocking(
                                () -> {
                                    rotator.tick();
                                    return null;
                                },
                                false)
                        .onFailure(e -> LOG.warn("Key rotation round failed; retrying next round: {}", e.toString())));
        return ring;
    }

    private static AuthRoutes startAuthServer(GatewayContext context, AuthConfig ac, SigningKeyRing ring) {
        AuthState state = new AuthState(Duration.ofHours(1));
        BoundTopic<String, AuthEvent> topic = context.topics().bind(Topics.AUTH_EVENTS);
        TopicView<AuthEvent> view = context.closeOnStop(new TopicView<>(
                context.kafka(),
                topic.name(),
                topic.key().deserializer(),
                topic.value().deserializer(),
                r -> {
                    if (r.value() != null) {
                        state.apply(r.value(), new SignInLedger.Position(r.partition(), r.offset()));
                    }
                }));
        AuthService service = new AuthService(
                state,
                view,
                context.durableProducer("auth", topic),
                topic.name(),
                new PasswordHasher(),
                AuthService.Config.defaults(),
                context.clock());
        JwtIssuer issuer = new JwtIssuer(ring, ac.issuer(), ac.issuer(), ac.tokenLifetime(), context.clock());
        context.every(60_000, () -> {
            state.prune(context.clock().instant());
            issuer.prune(context.clock().instant());
        });
        boolean trustForwarded = context.config().trustForwardedFor();
        return new AuthRoutes(
                context.vertx(),
                service,
                issuer,
                ring,
                new SessionCookies(ac.secret()),
                new OriginCheck(ac.trustedOrigins()),
                request -> GatewayServer.clientAddress(request, trustForwarded),
                Duration.ofMinutes(5),
                ac.baseUrl().startsWith("https://"));
    }
}
