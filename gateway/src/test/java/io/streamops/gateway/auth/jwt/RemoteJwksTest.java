package io.streamops.gateway.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.schemas.testing.MutableClock;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** External issuer mode, against a token and JWKS issued by a real Better-Auth server. */
class RemoteJwksTest {

    static final JsonObject VECTOR = load();
    static final Instant ISSUED = Instant.ofEpochSecond(VECTOR.getLong("iat"));

    final MutableClock clock = new MutableClock(ISSUED.plusSeconds(60));
    final AtomicInteger fetches = new AtomicInteger();
    final AtomicBoolean issuerDown = new AtomicBoolean();
    volatile String served = VECTOR.getJsonObject("jwks").encode();
    RemoteJwks jwks;

    @AfterEach
    void close() {
        jwks.close();
    }

    @Test
    void verifiesABetterAuthTokenWithItsIssuersJwks() {
        jwks = remote();
        JwtVerifier verifier = verifier(jwks);

        assertThat(verifier.verify(VECTOR.getString("token")))
                .isInstanceOfSatisfying(
                        Verification.Valid.class,
                        v -> assertThat(v.claims().getSubject()).isEqualTo(VECTOR.getString("sub")));
    }

    @Test
    void anUnknownKidRefetchesAtMostOncePerInterval() {
        served = "{\"keys\":[]}";
        jwks = remote();
        String kid = VECTOR.getJsonObject("jwks")
                .getJsonArray("keys")
                .getJsonObject(0)
                .getString("kid");
        assertThat(jwks.refetchFor(kid)).as("fetched at start, moments ago").isFalse();
        clock.advance(Duration.ofSeconds(31));

        assertThat(jwks.refetchFor("forged-kid-1")).isFalse();
        assertThat(jwks.refetchFor("forged-kid-2"))
                .as("within the interval: no second fetch")
                .isFalse();
        assertThat(fetches).hasValue(2);

        served = VECTOR.getJsonObject("jwks").encode();
        clock.advance(Duration.ofSeconds(31));
        assertThat(jwks.refetchFor(kid)).isTrue();
        assertThat(fetches).hasValue(3);
        assertThat(verifier(jwks).verify(VECTOR.getString("token")).valid()).isTrue();
    }

    @Test
    void anIssuerOutageKeepsTheLastKeys() {
        jwks = remote();
        issuerDown.set(true);
        clock.advance(Duration.ofMinutes(1));

        assertThat(jwks.refetchFor("rotated-kid")).isFalse();
        assertThat(verifier(jwks).verify(VECTOR.getString("token")).valid()).isTrue();
        assertThat(jwks.lastSuccess()).contains(ISSUED.plusSeconds(60));
    }

    RemoteJwks remote() {
        return new RemoteJwks(
                () -> {
                    fetches.incrementAndGet();
                    if (issuerDown.get()) {
                        throw new IOException("connection refused");
                    }
                    return served;
                },
                Duration.ofHours(1),
                Duration.ofSeconds(30),
                clock);
    }

    JwtVerifier verifier(KeySource keys) {
        return new JwtVerifier(
                keys,
                Set.of(VECTOR.getString("issuer")),
                Set.of(VECTOR.getString("audience")),
                Duration.ofSeconds(30),
                clock);
    }

    static JsonObject load() {
        try (InputStream in = RemoteJwksTest.class.getResourceAsStream("/vectors/better-auth-jwt.json")) {
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
