package io.streamops.gateway.auth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.streamops.gateway.keys.SigningKeyRing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs access tokens with the ring's current key: iss, aud, sub, iat, exp, and the given claims.
 *
 * <p>{@link #issueOrReuse} hands out a token signed moments ago for the same subject, claims and key
 * instead of signing again: signing is most of what a get-session costs, and a page load calls it
 * every time. A token is reused for at most a fifteenth of its lifetime (a minute at the default
 * fifteen), so every one handed out has at least fourteen fifteenths of it left.
 */
public final class JwtIssuer {

    private static final int REUSE_FRACTION = 15;

    private final SigningKeyRing ring;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final Clock clock;
    private final Duration reuse;
    private final Map<String, JWSSigner> signers = new ConcurrentHashMap<>();
    private final Map<Claims, Issued> recent = new ConcurrentHashMap<>();

    private record Claims(String subject, Map<String, Object> claims) {}

    private record Issued(String kid, Instant at, String token) {}

    public JwtIssuer(SigningKeyRing ring, String issuer, String audience, Duration lifetime, Clock clock) {
        this.ring = ring;
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
        this.clock = clock;
        this.reuse = lifetime.dividedBy(REUSE_FRACTION);
    }

    /** A freshly signed token. */
    public String issue(String subject, Map<String, Object> claims) {
        return sign(signingKey(), clock.instant(), subject, claims);
    }

    /** The token last issued for these claims if it is recent and from the current key, else a fresh one. */
    public String issueOrReuse(String subject, Map<String, Object> claims) {
        JWK key = signingKey();
        Instant now = clock.instant();
        Issued last = recent.get(new Claims(subject, claims));
        if (last != null
                && last.kid().equals(key.getKeyID())
                && !now.isBefore(last.at())
                && now.isBefore(last.at().plus(reuse))) {
            return last.token();
        }
        String token = sign(key, now, subject, claims);
        // Looked up with the caller's map, kept with a copy of its own.
        recent.put(new Claims(subject, new HashMap<>(claims)), new Issued(key.getKeyID(), now, token));
        return token;
    }

    /** Forgets tokens too old to be reused, so that memory holds only recently active sessions. */
    public void prune(Instant now) {
        recent.values().removeIf(issued -> !now.isBefore(issued.at().plus(reuse)));
    }

    private JWK signingKey() {
        return ring.signingKey().orElseThrow(() -> new IllegalStateException("no signing key is active yet"));
    }

    private String sign(JWK key, Instant now, String subject, Map<String, Object> claims) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)));
        claims.forEach(builder::claim);
        JWSAlgorithm alg = JWSAlgorithm.parse(key.getAlgorithm().getName());
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(alg)
                        .keyID(key.getKeyID())
                        .type(JOSEObjectType.JWT)
                        .build(),
                builder.build());
        try {
            jwt.sign(signers.computeIfAbsent(key.getKeyID(), kid -> signer(key)));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with " + key.getKeyID(), e);
        }
        return jwt.serialize();
    }

    private static JWSSigner signer(JWK key) {
        try {
            if (key instanceof OctetKeyPair okp) {
                return new Ed25519Signer(okp);
            }
            if (key instanceof ECKey ec) {
                return new ECDSASigner(ec);
            }
            if (key instanceof RSAKey rsa) {
                return new RSASSASigner(rsa);
            }
        } catch (JOSEException e) {
            throw new IllegalStateException("unusable signing key " + key.getKeyID(), e);
        }
        throw new IllegalStateException("unsupported key type " + key.getKeyType());
    }
}
