package io.streamops.gateway.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.streamops.decisions.SigningKey;
import io.streamops.gateway.auth.jwt.KeySource;
import java.nio.ByteBuffer;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signing keys every gateway instance knows, as published on the signing-keys topic. A key
 * verifies from the moment it is known until its {@code verifyUntil} (the end of its signing
 * period plus the longest token lifetime), and signs during its signing period. Private keys are
 * decrypted with the master key only when first used to sign.
 */
public final class SigningKeyRing implements KeySource {

    /** A known key: its public half and its sealed private half. */
    record Entry(
            String kid,
            JWSAlgorithm algorithm,
            JWK publicKey,
            byte[] sealedPrivateKey,
            Instant signFrom,
            Instant signUntil,
            Instant verifyUntil) {}

    private final Map<String, Entry> keys = new ConcurrentHashMap<>();
    private final Map<String, JWK> privateKeys = new ConcurrentHashMap<>();
    private final MasterKey masterKey;
    private final Clock clock;

    public SigningKeyRing(MasterKey masterKey, Clock clock) {
        this.masterKey = masterKey;
        this.clock = clock;
    }

    /** Applies a record of the signing-keys topic; a null key is a tombstone for {@code kid}. */
    public void apply(String kid, SigningKey key) {
        if (key == null) {
            keys.remove(kid);
            privateKeys.remove(kid);
            return;
        }
        try {
            keys.put(
                    key.getKid(),
                    new Entry(
                            key.getKid(),
                            JWSAlgorithm.parse(key.getAlgorithm()),
                            JWK.parse(key.getPublicJwk()),
                            toBytes(key.getEncryptedPrivateKey()),
                            key.getSignFrom(),
                            key.getSignUntil(),
                            key.getVerifyUntil()));
        } catch (ParseException e) {
            throw new IllegalArgumentException("signing key " + key.getKid() + " has an unreadable public JWK", e);
        }
    }

    @Override
    public Optional<JWK> verificationKey(String kid) {
        Entry entry = keys.get(kid);
        return entry != null && clock.instant().isBefore(entry.verifyUntil())
                ? Optional.of(entry.publicKey())
                : Optional.empty();
    }

    /**
     * The key to sign with now: the one whose signing period holds now and began last. Should two
     * instances have published a key for the same period, all pick the same one (lowest kid).
     */
    public Optional<JWK> signingKey() {
        Instant now = clock.instant();
        return keys.values().stream()
                .filter(e -> !now.isBefore(e.signFrom()) && now.isBefore(e.signUntil()))
                .max(Comparator.comparing(Entry::signFrom).thenComparing(Entry::kid, Comparator.reverseOrder()))
                .map(e -> privateKeys.computeIfAbsent(e.kid(), kid -> decrypt(e)));
    }

    /** The public keys that verify now, for the JWKS endpoint. */
    public JWKSet publicKeys() {
        Instant now = clock.instant();
        return new JWKSet(keys.values().stream()
                .filter(e -> now.isBefore(e.verifyUntil()))
                .sorted(Comparator.comparing(Entry::signFrom).reversed())
                .map(Entry::publicKey)
                .toList());
    }

    /** The end of the last signing period known, if any key is known. */
    public Optional<Instant> lastSignUntil() {
        return keys.values().stream().map(Entry::signUntil).max(Comparator.naturalOrder());
    }

    /** Keys whose verification ended before {@code before}: to be tombstoned. */
    public List<String> expiredBefore(Instant before) {
        return keys.values().stream()
                .filter(e -> e.verifyUntil().isBefore(before))
                .map(Entry::kid)
                .toList();
    }

    private JWK decrypt(Entry entry) {
        try {
            return JWK.parse(masterKey.decrypt(entry.kid(), entry.sealedPrivateKey()));
        } catch (ParseException e) {
            throw new IllegalStateException("signing key " + entry.kid() + " decrypts to an unreadable JWK", e);
        }
    }

    private static byte[] toBytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
