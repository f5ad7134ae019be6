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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Signs access tokens with the ring's current key: iss, aud, sub, iat, exp, and the given claims. */
public final class JwtIssuer {

    private final SigningKeyRing ring;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final Clock clock;
    private final Map<String, JWSSigner> signers = new ConcurrentHashMap<>();

    public JwtIssuer(SigningKeyRing ring, String issuer, String audience, Duration lifetime, Clock clock) {
        this.ring = ring;
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public String issue(String subject, Map<String, Object> claims) {
        JWK key = ring.signingKey().orElseThrow(() -> new IllegalStateException("no signing key is active yet"));
        Instant now = clock.instant();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)));
        claims.forEach(builder::claim);
        JWSAlgorithm alg = JWSAlgorithm.parse(key.getAlgorithm().getName());
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), builder.build());
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
