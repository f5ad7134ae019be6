package io.streamops.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
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
    public static final List<String> KEYS = List.of(
            PREFIX + "enabled",
            PREFIX + "secret",
            PREFIX + "master.key",
            PREFIX + "base.url",
            PREFIX + "trusted.origins",
            PREFIX + "jwt.algorithm",
            PREFIX + "jwt.lifetime",
            PREFIX + "rotation.interval",
            PREFIX + "rotation.lead",
            PREFIX + "clock.skew",
            PREFIX + "external.jwks.url",
            PREFIX + "external.issuer",
            PREFIX + "external.audience",
            PREFIX + "external.refresh",
            PREFIX + "external.min.refetch");

    public static AuthConfig from(Settings settings, String defaultBaseUrl) {
        boolean enabled = settings.bool(PREFIX + "enabled", true);
        String baseUrl = settings.string(PREFIX + "base.url", defaultBaseUrl);
        String origin = OriginCheck.originOf(baseUrl);
        if (origin == null) {
            throw new ConfigException(PREFIX + "base.url must be an absolute URL, was '" + baseUrl + "'");
        }
        Set<String> trusted = new LinkedHashSet<>();
        trusted.add(origin);
        Arrays.stream(settings.string(PREFIX + "trusted.origins", "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .forEach(trusted::add);
        String algorithm = settings.string(PREFIX + "jwt.algorithm", "EdDSA");
        if (!List.of("EdDSA", "ES256", "RS256").contains(algorithm)) {
            throw new ConfigException(PREFIX + "jwt.algorithm must be EdDSA, ES256 or RS256, was '" + algorithm + "'");
        }
        return new AuthConfig(
                enabled,
                enabled ? settings.required(PREFIX + "secret") : null,
                enabled ? settings.required(PREFIX + "master.key") : null,
                baseUrl,
                trusted,
                JWSAlgorithm.parse(algorithm),
                settings.duration(PREFIX + "jwt.lifetime", Duration.ofMinutes(15)),
                settings.duration(PREFIX + "rotation.interval", Duration.ofHours(6)),
                settings.duration(PREFIX + "rotation.lead", Duration.ofMinutes(5)),
                settings.duration(PREFIX + "clock.skew", Duration.ofSeconds(30)),
                external(settings));
    }

    private static Optional<External> external(Settings settings) {
        String url = settings.string(PREFIX + "external.jwks.url", null);
        if (url == null) {
            return Optional.empty();
        }
        String issuer = settings.string(PREFIX + "external.issuer", OriginCheck.originOf(url));
        return Optional.of(new External(
                URI.create(url),
                issuer,
                settings.string(PREFIX + "external.audience", issuer),
                settings.duration(PREFIX + "external.refresh", Duration.ofMinutes(5)),
                settings.duration(PREFIX + "external.min.refetch", Duration.ofSeconds(30))));
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
