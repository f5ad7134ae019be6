package io.streamops.gateway.keys;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import io.streamops.common.Mode;
import io.streamops.decisions.SigningKey;
import io.streamops.gateway.auth.jwt.JwtIssuer;
import io.streamops.gateway.auth.jwt.JwtVerifier;
import io.streamops.gateway.auth.jwt.Rejection;
import io.streamops.gateway.auth.jwt.Verification;
import io.streamops.schemas.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SigningKeyRingTest {

    static final Duration INTERVAL = Duration.ofHours(1);
    static final Duration LEAD = Duration.ofMinutes(5);
    static final Duration GRACE = Duration.ofMinutes(16);
    final MasterKey master = MasterKey.fromBase64(MasterKey.generateBase64());
    final KeyRotation rotation = new KeyRotation(JWSAlgorithm.EdDSA, INTERVAL, LEAD, GRACE, master);

    @Test
    void aKeyIsDueWhenNoneSignsAndAgainOneLeadBeforeTheSigningOneEnds() {
        assertThat(rotation.due(Optional.empty(), BEGINNING)).hasValueSatisfying(k -> {
            assertThat(k.getSignFrom()).isEqualTo(BEGINNING);
            assertThat(k.getSignUntil()).isEqualTo(BEGINNING.plus(INTERVAL));
            assertThat(k.getVerifyUntil()).isEqualTo(BEGINNING.plus(INTERVAL).plus(GRACE));
        });
        Optional<Instant> until = Optional.of(BEGINNING.plus(INTERVAL));
        assertThat(rotation.due(until, BEGINNING.plus(INTERVAL).minus(LEAD).minusSeconds(1)))
                .isEmpty();
        assertThat(rotation.due(until, BEGINNING.plus(INTERVAL).minus(LEAD)))
                .hasValueSatisfying(k -> assertThat(k.getSignFrom()).isEqualTo(BEGINNING.plus(INTERVAL)));
    }

    @Test
    void eachKeyIsADecisionWithItsEvidence() {
        SigningKey key = rotation.due(Optional.empty(), BEGINNING).orElseThrow();

        assertThat(key.getEnvelope().getOperator()).isEqualTo("key-rotation");
        assertThat(key.getEnvelope().getPolicy().getName()).isEqualTo("time-based-rotation");
        assertThat(key.getEnvelope().getMode()).isEqualTo(Mode.ENFORCE);
        assertThat(key.getEnvelope().getEvidence().getThresholds()).containsEntry("graceSeconds", 960.0);
        assertThat(key.getPublicJwk()).doesNotContain("\"d\"");
    }

    @Test
    void signsWithTheCurrentKeyAndVerifiesWithOldOnesUntilTheirGraceEnds() {
        SigningKey first = rotation.generate(BEGINNING, BEGINNING, "first");
        SigningKey second = rotation.generate(BEGINNING.plus(INTERVAL), BEGINNING, "second");

        SigningKeyRing atStart = ring(BEGINNING.plusSeconds(1), first, second);
        assertThat(atStart.signingKey().orElseThrow().getKeyID()).isEqualTo(first.getKid());
        assertThat(atStart.verificationKey(second.getKid()))
                .as("known ahead of use")
                .isPresent();

        SigningKeyRing afterRotation = ring(BEGINNING.plus(INTERVAL).plusSeconds(1), first, second);
        assertThat(afterRotation.signingKey().orElseThrow().getKeyID()).isEqualTo(second.getKid());
        assertThat(afterRotation.verificationKey(first.getKid()))
                .as("within grace")
                .isPresent();

        SigningKeyRing afterGrace = ring(BEGINNING.plus(INTERVAL).plus(GRACE), first, second);
        assertThat(afterGrace.verificationKey(first.getKid())).isEmpty();
        assertThat(afterGrace.publicKeys().getKeys())
                .extracting(k -> k.getKeyID())
                .containsExactly(second.getKid());
        assertThat(afterGrace.expiredBefore(BEGINNING.plus(INTERVAL).plus(GRACE).plusSeconds(1)))
                .containsExactly(first.getKid());
    }

    @Test
    void twoKeysForOnePeriodResolveToTheSameSigningKeyEverywhere() {
        SigningKey a = rotation.generate(BEGINNING, BEGINNING, "instance a");
        SigningKey b = rotation.generate(BEGINNING, BEGINNING, "instance b");
        String expected = a.getKid().compareTo(b.getKid()) < 0 ? a.getKid() : b.getKid();

        assertThat(ring(BEGINNING, a, b).signingKey().orElseThrow().getKeyID()).isEqualTo(expected);
        assertThat(ring(BEGINNING, b, a).signingKey().orElseThrow().getKeyID()).isEqualTo(expected);
    }

    @Test
    void aVerifiedTokenStaysSubjectToExpiryAndKeyRemoval() {
        SigningKey key = rotation.generate(BEGINNING, BEGINNING, "k");
        MutableClock clock = new MutableClock(BEGINNING.plusSeconds(1));
        SigningKeyRing ring = new SigningKeyRing(master, clock);
        ring.apply(key.getKid(), key);
        String token = new JwtIssuer(ring, "https://i", "https://i", Duration.ofMinutes(15), clock)
                .issue("u", java.util.Map.of());
        JwtVerifier verifier = new JwtVerifier(
                ring, java.util.Set.of("https://i"), java.util.Set.of("https://i"), Duration.ofSeconds(30), clock);
        assertThat(verifier.verify(token).valid()).isTrue();
        assertThat(verifier.verify(token).valid()).as("from the cache").isTrue();

        clock.advance(Duration.ofMinutes(16));
        assertThat(verifier.verify(token))
                .isInstanceOfSatisfying(
                        Verification.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Rejection.EXPIRED));

        clock.advance(Duration.ofMinutes(-16));
        assertThat(verifier.verify(token).valid()).isTrue();
        ring.apply(key.getKid(), null);
        assertThat(verifier.verify(token))
                .isInstanceOfSatisfying(
                        Verification.Rejected.class, r -> assertThat(r.reason()).isEqualTo(Rejection.UNKNOWN_KID));
    }

    @Test
    void aTombstoneForgetsAKey() {
        SigningKey key = rotation.generate(BEGINNING, BEGINNING, "k");
        SigningKeyRing ring = ring(BEGINNING, key);
        ring.apply(key.getKid(), null);

        assertThat(ring.verificationKey(key.getKid())).isEmpty();
        assertThat(ring.signingKey()).isEmpty();
    }

    @Test
    void aPrivateKeySealedUnderAnotherKidOrMasterKeyDoesNotOpen() {
        byte[] sealed = master.encrypt("kid-a", "{\"secret\":1}");

        assertThat(master.decrypt("kid-a", sealed)).isEqualTo("{\"secret\":1}");
        assertThatThrownBy(() -> master.decrypt("kid-b", sealed)).hasMessageContaining("wrong master key or tampered");
        assertThatThrownBy(
                        () -> MasterKey.fromBase64(MasterKey.generateBase64()).decrypt("kid-a", sealed))
                .hasMessageContaining("wrong master key or tampered");
    }

    private SigningKeyRing ring(Instant now, SigningKey... keys) {
        SigningKeyRing ring = new SigningKeyRing(master, Clock.fixed(now, ZoneOffset.UTC));
        for (SigningKey key : keys) {
            ring.apply(key.getKid(), key);
        }
        return ring;
    }
}
