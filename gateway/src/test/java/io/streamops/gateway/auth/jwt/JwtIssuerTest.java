package io.streamops.gateway.auth.jwt;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.streamops.decisions.SigningKey;
import io.streamops.gateway.keys.KeyRotation;
import io.streamops.gateway.keys.MasterKey;
import io.streamops.gateway.keys.SigningKeyRing;
import io.streamops.schemas.testing.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwtIssuerTest {

    static final Duration LIFETIME = Duration.ofMinutes(15);
    static final Duration INTERVAL = Duration.ofHours(1);
    static final Map<String, Object> CLAIMS = Map.of("email", "ada@example.com", "name", "Ada");

    final MasterKey master = MasterKey.fromBase64(MasterKey.generateBase64());
    final KeyRotation rotation =
            new KeyRotation(JWSAlgorithm.EdDSA, INTERVAL, Duration.ofMinutes(5), Duration.ofMinutes(16), master);
    final MutableClock clock = new MutableClock(BEGINNING);
    final SigningKeyRing ring = new SigningKeyRing(master, clock);
    final JwtIssuer issuer = new JwtIssuer(ring, "https://i", "https://i", LIFETIME, clock);

    JwtIssuerTest() {
        SigningKey first = rotation.generate(BEGINNING, BEGINNING, "first");
        ring.apply(first.getKid(), first);
    }

    @Test
    void aTokenIsReusedForAFifteenthOfItsLifetime() throws Exception {
        String first = issuer.issueOrReuse("u", CLAIMS);

        clock.advance(Duration.ofSeconds(59));
        assertThat(issuer.issueOrReuse("u", CLAIMS)).isEqualTo(first);

        clock.advance(Duration.ofSeconds(1));
        String second = issuer.issueOrReuse("u", CLAIMS);
        assertThat(second).isNotEqualTo(first);
        assertThat(SignedJWT.parse(second).getJWTClaimsSet().getIssueTime().toInstant())
                .isEqualTo(BEGINNING.plusSeconds(60));
    }

    @Test
    void otherClaimsOrAnotherSubjectGetTheirOwnToken() throws Exception {
        String first = issuer.issueOrReuse("u", CLAIMS);

        String renamed = issuer.issueOrReuse("u", Map.of("email", "ada@example.com", "name", "Ada L."));
        assertThat(renamed).isNotEqualTo(first);
        assertThat(SignedJWT.parse(renamed).getJWTClaimsSet().getStringClaim("name"))
                .isEqualTo("Ada L.");
        assertThat(issuer.issueOrReuse("v", CLAIMS)).isNotEqualTo(first);
    }

    @Test
    void aRotatedKeySignsAFreshToken() throws Exception {
        String first = issuer.issueOrReuse("u", CLAIMS);
        SigningKey next = rotation.generate(BEGINNING.plusSeconds(30), BEGINNING, "next");
        ring.apply(next.getKid(), next);

        clock.advance(Duration.ofSeconds(30));
        String afterRotation = issuer.issueOrReuse("u", CLAIMS);

        assertThat(afterRotation).isNotEqualTo(first);
        assertThat(SignedJWT.parse(afterRotation).getHeader().getKeyID()).isEqualTo(next.getKid());
    }

    @Test
    void pruningForgetsOnlyTokensTooOldToReuse() {
        String old = issuer.issueOrReuse("old", CLAIMS);
        clock.advance(Duration.ofSeconds(30));
        String recent = issuer.issueOrReuse("recent", CLAIMS);
        clock.advance(Duration.ofSeconds(30));

        issuer.prune(clock.instant());

        assertThat(issuer.issueOrReuse("recent", CLAIMS)).isEqualTo(recent);
        clock.advance(Duration.ofSeconds(-50));
        assertThat(issuer.issueOrReuse("old", CLAIMS))
                .as("forgotten, so signed again")
                .isNotEqualTo(old);
    }
}
