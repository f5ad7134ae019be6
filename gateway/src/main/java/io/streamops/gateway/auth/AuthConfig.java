package io.streamops.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.config.ConfigKey;
import io.streamops.schemas.config.Settings;
import io.streamops.workflows.keys.KeysWorkflow;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Auth config of a gateway instance. Secrets come from the environment or a file, never inline:
 * {@code STREAMOPS_GATEWAY_AUTH_SECRET} signs session cookies, {@code STREAMOPS_GATEWAY_AUTH_MASTER_KEY}
 * (base64 of 32 bytes) seals signing keys at rest.
 *
 * @param baseUrl the gateway's public URL: its origin is the JWT issuer and audience, as in Better-Auth
 * @param rotationInterval how long each signing key signs
 * @param rotationLead how long before it takes over a new key is published
 */
public record AuthConfig(
        boolean enabled,
        String secret,
        String masterKey,
        String baseUrl,
        Set<String> trustedOrigins,
        JWSAlgorithm algorithm,
        Duration tokenLifetime,
        Duration rotationInterval,
        Duration rotationLead,
        Duration clockSkew,
        Optional<External> external) {

    /**
     * An external issuer whose tokens the gateway also accepts, e.g. a Better-Auth server: its
     * JWKS URL, and the iss and aud its tokens carry (Better-Auth: its base URL's origin).
     */
    public record External(URI jwksUrl, String issuer, String audience, Duration refresh, Duration minRefetch) {}

    static final String PREFIX = "streamops.gateway.auth.";

    public static final ConfigKey<Boolean> ENABLED = ConfigKey.bool(
            PREFIX + "enabled", true, "false: no auth API (a gateway can still verify an external issuer's tokens)");
    public static final ConfigKey<String> SECRET = ConfigKey.string(
                    PREFIX + "secret",
                    null,
                    "signs session cookies; set STREAMOPS_GATEWAY_AUTH_SECRET (32+ characters) in production")
            .defaultDoc("(generated locally)")
            .check(s -> s.length() >= 32, "must be at least 32 characters")
            .secret();
    public static final ConfigKey<String> MASTER_KEY = ConfigKey.string(
                    PREFIX + "master.key",
                    null,
                    "base64 of 32 random bytes; seals signing keys; set STREAMOPS_GATEWAY_AUTH_MASTER_KEY in production")
            .defaultDoc("(generated locally)")
            .secret();
    public static final ConfigKey<String> BASE_URL = ConfigKey.string(
                    PREFIX + "base.url",
                    null,
                    "the public URL; its origin is the JWT issuer and audience, and a trusted origin")
            .defaultDoc("http://<host>:<port>");
    public static final ConfigKey<List<String>> TRUSTED_ORIGINS = ConfigKey.list(
            PREFIX + "trusted.origins", null, "further origins allowed to make cookie-authenticated requests");
    public static final ConfigKey<String> ALGORITHM = ConfigKey.string(
                    PREFIX + "jwt.algorithm", "EdDSA", "the algorithm of new signing keys: EdDSA, ES256 or RS256")
            .check(a -> List.of("EdDSA", "ES256", "RS256").contains(a), "must be EdDSA, ES256 or RS256");
    public static final ConfigKey<Duration> LIFETIME = ConfigKey.duration(
                    PREFIX + "jwt.lifetime", Duration.ofMinutes(15), "how long a JWT is valid")
            .check(d -> !d.isNegative() && !d.isZero(), "must be positive");
    public static final ConfigKey<Duration> CLOCK_SKEW =
            ConfigKey.duration(PREFIX + "clock.skew", Duration.ofSeconds(30), "how far exp, nbf and iat may be off");
    public static final ConfigKey<URI> EXTERNAL_JWKS = ConfigKey.uri(
            PREFIX + "external.jwks.url", "also accept tokens of an external issuer, with keys from this JWKS URL");
    public static final ConfigKey<String> EXTERNAL_ISSUER = ConfigKey.string(
                    PREFIX + "external.issuer", null, "the iss the external issuer's tokens carry")
            .defaultDoc("(the JWKS URL's origin)");
    public static final ConfigKey<String> EXTERNAL_AUDIENCE = ConfigKey.string(
                    PREFIX + "external.audience", null, "the aud the external issuer's tokens carry")
            .defaultDoc("(the issuer)");
    public static final ConfigKey<Duration> EXTERNAL_REFRESH = ConfigKey.duration(
            PREFIX + "external.refresh", Duration.ofMinutes(5), "how often the external JWKS is fetched");
    public static final ConfigKey<Duration> EXTERNAL_MIN_REFETCH = ConfigKey.duration(
            PREFIX + "external.min.refetch",
            Duration.ofSeconds(30),
            "at most one refetch per this long for a token with an unknown kid");
    public static final ConfigKey<Boolean> ROUTE_AUTH = ConfigKey.bool(
            "streamops.gateway.route.<name>.auth", false, "the route needs a valid JWT (Authorization: Bearer)");
    public static final ConfigKey<Boolean> INGEST_AUTH =
            ConfigKey.bool("streamops.gateway.ingest.auth", true, "POST /ingest/<topic> needs a valid JWT");

    public static final ConfigGroup KEYS = ConfigGroup.of(
            "Gateway auth",
            PREFIX,
            ENABLED,
            SECRET,
            MASTER_KEY,
            BASE_URL,
            TRUSTED_ORIGINS,
            ALGORITHM,
            LIFETIME,
            CLOCK_SKEW,
            EXTERNAL_JWKS,
            EXTERNAL_ISSUER,
            EXTERNAL_AUDIENCE,
            EXTERNAL_REFRESH,
            EXTERNAL_MIN_REFETCH,
            ROUTE_AUTH,
            INGEST_AUTH);

    public static AuthConfig from(Settings settings, String defaultBaseUrl) {
        boolean enabled = settings.get(ENABLED);
        String baseUrl = settings.find(BASE_URL).orElse(defaultBaseUrl);
        String origin = OriginCheck.originOf(baseUrl);
        if (origin == null) {
            throw new ConfigException(BASE_URL.name() + " must be an absolute URL, was '" + baseUrl + "'");
        }
        Set<String> trusted = new LinkedHashSet<>();
        trusted.add(origin);
        trusted.addAll(settings.get(TRUSTED_ORIGINS));
        return new AuthConfig(
                enabled,
                enabled ? settings.require(SECRET) : null,
                enabled ? settings.require(MASTER_KEY) : null,
                baseUrl,
                trusted,
                JWSAlgorithm.parse(settings.get(ALGORITHM)),
                settings.get(LIFETIME),
                settings.get(KeysWorkflow.INTERVAL),
                settings.get(KeysWorkflow.LEAD),
                settings.get(CLOCK_SKEW),
                external(settings));
    }

    private static Optional<External> external(Settings settings) {
        return settings.find(EXTERNAL_JWKS).map(url -> {
            String issuer = settings.find(EXTERNAL_ISSUER).orElse(OriginCheck.originOf(url.toString()));
            return new External(
                    url,
                    issuer,
                    settings.find(EXTERNAL_AUDIENCE).orElse(issuer),
                    settings.get(EXTERNAL_REFRESH),
                    settings.get(EXTERNAL_MIN_REFETCH));
        });
    }

    /** No auth API and no protected routes, as for a gateway in front of public content only. */
    public static AuthConfig disabled(String baseUrl) {
        return new AuthConfig(
                false,
                null,
                null,
                baseUrl,
                Set.of(OriginCheck.originOf(baseUrl)),
                JWSAlgorithm.EdDSA,
                Duration.ofMinutes(15),
                Duration.ofHours(6),
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                Optional.empty());
    }

    /** The JWT issuer and audience: the base URL's origin. */
    public String issuer() {
        return OriginCheck.originOf(baseUrl);
    }

    /** How long a key verifies after it stops signing: the longest token lifetime plus the skew. */
    public Duration grace() {
        return tokenLifetime.plus(clockSkew);
    }
}
