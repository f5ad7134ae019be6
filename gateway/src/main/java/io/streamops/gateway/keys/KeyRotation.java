package io.streamops.gateway.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.streamops.common.Evidence;
import io.streamops.common.Mode;
import io.streamops.common.PolicyRef;
import io.streamops.decisions.SigningKey;
import io.streamops.schemas.decision.Decisions;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Workflow 9's policy, time-based rotation: each key signs for {@code interval}; its successor is
 * published {@code lead} before it takes over, so every instance knows a key before any token
 * signed with it arrives; a key keeps verifying for {@code grace} (the longest token lifetime plus
 * clock skew) after it stops signing. Each new key is a decision with its evidence.
 */
public final class KeyRotation {

    public static final String OPERATOR = "key-rotation";
    public static final PolicyRef POLICY = new PolicyRef("time-based-rotation", 1);

    private final JWSAlgorithm algorithm;
    private final Duration interval;
    private final Duration lead;
    private final Duration grace;
    private final MasterKey masterKey;
    private final SecureRandom random = new SecureRandom();

    public KeyRotation(JWSAlgorithm algorithm, Duration interval, Duration lead, Duration grace, MasterKey masterKey) {
        if (!lead.minus(interval).isNegative()) {
            throw new IllegalArgumentException(
                    "rotation lead " + lead + " must be shorter than the interval " + interval);
        }
        this.algorithm = algorithm;
        this.interval = interval;
        this.lead = lead;
        this.grace = grace;
        this.masterKey = masterKey;
    }

    /** The key to publish now, if one is due: none is signing yet, or the signing one ends within the lead. */
    public Optional<SigningKey> due(Optional<Instant> lastSignUntil, Instant now) {
        if (lastSignUntil.isEmpty() || !now.isBefore(lastSignUntil.get())) {
            return Optional.of(generate(now, now, "no key signs at " + now + "; starting a key now"));
        }
        if (!now.isBefore(lastSignUntil.get().minus(lead))) {
            return Optional.of(generate(
                    lastSignUntil.get(),
                    now,
                    "the signing key stops at " + lastSignUntil.get() + "; its successor is published "
                            + lead.toSeconds() + "s ahead"));
        }
        return Optional.empty();
    }

    public SigningKey generate(Instant signFrom, Instant now, String why) {
        String kid = "k" + signFrom.getEpochSecond() + "-"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(6));
        JWK key = newKey(kid);
        Instant signUntil = signFrom.plus(interval);
        Evidence evidence = Evidence.newBuilder()
                .setSummary(why)
                .setMeasurements(Map.of())
                .setThresholds(Map.of(
                        "intervalSeconds", (double) interval.toSeconds(),
                        "leadSeconds", (double) lead.toSeconds(),
                        "graceSeconds", (double) grace.toSeconds()))
                .setWindowStart(signFrom)
                .setWindowEnd(signUntil)
                .setInputs(List.of())
                .build();
        return SigningKey.newBuilder()
                .setEnvelope(Decisions.envelope(OPERATOR, POLICY, Mode.ENFORCE, signFrom, now, evidence, kid))
                .setKid(kid)
                .setAlgorithm(algorithm.getName())
                .setPublicJwk(key.toPublicJWK().toJSONString())
                .setEncryptedPrivateKey(ByteBuffer.wrap(masterKey.encrypt(kid, key.toJSONString())))
                .setSignFrom(signFrom)
                .setSignUntil(signUntil)
                .setVerifyUntil(signUntil.plus(grace))
                .build();
    }

    private JWK newKey(String kid) {
        try {
            if (algorithm.equals(JWSAlgorithm.EdDSA) || algorithm.equals(JWSAlgorithm.Ed25519)) {
                return new OctetKeyPairGenerator(Curve.Ed25519)
                        .keyID(kid)
                        .algorithm(algorithm)
                        .keyUse(KeyUse.SIGNATURE)
                        .generate();
            }
            if (algorithm.equals(JWSAlgorithm.ES256)) {
                return new ECKeyGenerator(Curve.P_256)
                        .keyID(kid)
                        .algorithm(algorithm)
                        .keyUse(KeyUse.SIGNATURE)
                        .generate();
            }
            if (algorithm.equals(JWSAlgorithm.RS256)) {
                return new RSAKeyGenerator(2048)
                        .keyID(kid)
                        .algorithm(algorithm)
                        .keyUse(KeyUse.SIGNATURE)
                        .generate();
            }
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
        }
        throw new IllegalArgumentException("signing algorithm " + algorithm + " is not one of EdDSA, ES256, RS256");
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
