package io.streamops.gateway.auth.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies JWTs against keys from a {@link KeySource}, refusing with a reason code anything that is
 * not a well-formed token signed by a known key under that key's own algorithm: any spelling but the
 * strict compact serialization ({@link StrictCompactJws}), alg none, HMAC or an
 * algorithm other than the key's (confusion attacks), keys or key URLs in the header (jku, x5u,
 * jwk, x5c), unknown critical headers, unknown or malformed kids, bad signatures, expired or
 * not-yet-valid tokens, wrong issuer or audience, and oversized tokens.
 */
public final class JwtVerifier {

    public static final int MAX_TOKEN_BYTES = 8 * 1024;
    static final Set<JWSAlgorithm> ALLOWED =
            Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519, JWSAlgorithm.ES256, JWSAlgorithm.RS256);
    private static final Pattern KID = Pattern.compile("^[A-Za-z0-9._~-]{1,128}$");

    private final KeySource keys;
    private final Set<String> issuers;
    private final Set<String> audiences;
    private final Duration clockSkew;
    private final Clock clock;
    /** By the key itself, not its kid: an issuer that puts a new key under an old kid gets a new verifier. */
    private final Cache<JWK, JWSVerifier> verifiers =
            Caffeine.newBuilder().maximumSize(1_000).build();
    /**
     * Tokens whose signature already verified, by their exact text: a client reuses its token for
     * minutes, and the signature check is most of the cost. Only the strict spelling verifies, so
     * no other spelling of a cached token can hit it. A hit still checks the time claims and
     * that the signing key is still known, so expiry and key removal apply as without the cache.
     * Only valid tokens are kept, so forged ones cannot fill it.
     */
    private final Cache<String, Verified> verified;

    /** A token whose signature verified, and the key that verified it. */
    private record Verified(Verification.Valid result, JWK key) {}

    /**
     * @param issuers accepted {@code iss} values
     * @param audiences accepted {@code aud} values (one must be present in the token)
     */
    public JwtVerifier(KeySource keys, Set<String> issuers, Set<String> audiences, Duration clockSkew, Clock clock) {
        this(keys, issuers, audiences, clockSkew, clock, 100_000);
    }

    /** @param cachedTokens how many verified tokens to remember; 0 verifies every signature */
    public JwtVerifier(
            KeySource keys,
            Set<String> issuers,
            Set<String> audiences,
            Duration clockSkew,
            Clock clock,
            int cachedTokens) {
        // Caffeine evicts asynchronously: a size of 0 would still hit at times, so no cache at all.
        this.verified = cachedTokens > 0
                ? Caffeine.newBuilder().maximumSize(cachedTokens).build()
                : null;
        this.keys = keys;
        this.issuers = Set.copyOf(issuers);
        this.audiences = Set.copyOf(audiences);
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    public Verification verify(String token) {
        Verified known = token == null || verified == null ? null : verified.getIfPresent(token);
        if (known != null) {
            Optional<Verification.Rejected> stale = checkTime(known.result().claims());
            // Still valid only while the very key that verified it is known under its kid.
            if (stale.isEmpty()
                    && keys.verificationKey(known.result().kid())
                            .filter(known.key()::equals)
                            .isPresent()) {
                return known.result();
            }
            verified.invalidate(token);
        }
        Verification result = verifyFully(token);
        if (result instanceof Verification.Valid valid && verified != null) {
            keys.verificationKey(valid.kid()).ifPresent(key -> verified.put(token, new Verified(valid, key)));
        }
        return result;
    }

    private Verification verifyFully(String token) {
        if (token == null || token.isBlank()) {
            return new Verification.Rejected(Rejection.MISSING_TOKEN, "no token");
        }
        if (token.length() > MAX_TOKEN_BYTES) {
            return new Verification.Rejected(Rejection.TOKEN_TOO_LARGE, "token of " + token.length() + " bytes");
        }
        Optional<Verification.Rejected> notStrict = StrictCompactJws.check(token);
        if (notStrict.isPresent()) {
            return notStrict.get();
        }
        SignedJWT jwt;
        try {
            if (Header.parse(new Base64URL(token.substring(0, token.indexOf('.'))))
                            .getAlgorithm()
                    == Algorithm.NONE) {
                return new Verification.Rejected(Rejection.ALG_NONE, "unsecured (alg none) tokens are not accepted");
            }
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            return new Verification.Rejected(Rejection.MALFORMED, String.valueOf(e.getMessage()));
        }
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        if (alg == null || "none".equalsIgnoreCase(alg.getName())) {
            return new Verification.Rejected(Rejection.ALG_NONE, "alg none");
        }
        if (!ALLOWED.contains(alg)) {
            return new Verification.Rejected(Rejection.ALG_NOT_ALLOWED, "alg " + alg + " is not accepted");
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            return new Verification.Rejected(
                    Rejection.UNKNOWN_CRIT, "critical header(s) " + header.getCriticalParams());
        }
        if (header.getJWKURL() != null
                || header.getX509CertURL() != null
                || header.getJWK() != null
                || header.getX509CertChain() != null) {
            return new Verification.Rejected(Rejection.KEY_INJECTION, "keys or key URLs in the header are never used");
        }
        String kid = header.getKeyID();
        if (kid == null) {
            return new Verification.Rejected(Rejection.MISSING_KID, "no kid");
        }
        if (!KID.matcher(kid).matches()) {
            return new Verification.Rejected(
                    Rejection.INVALID_KID, "kid has characters outside [A-Za-z0-9._~-] or is too long");
        }
        Optional<JWK> key = keys.verificationKey(kid);
        if (key.isEmpty()) {
            return new Verification.Rejected(Rejection.UNKNOWN_KID, "kid " + kid);
        }
        Optional<JWSVerifier> verifier = verifierFor(key.get(), alg);
        if (verifier.isEmpty()) {
            return new Verification.Rejected(Rejection.ALG_KEY_MISMATCH, "alg " + alg + " does not fit key " + kid);
        }
        try {
            if (!jwt.verify(verifier.get())) {
                return new Verification.Rejected(Rejection.BAD_SIGNATURE, "signature does not verify with " + kid);
            }
        } catch (JOSEException | IllegalStateException e) {
            return new Verification.Rejected(Rejection.BAD_SIGNATURE, e.getMessage());
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return new Verification.Rejected(Rejection.MALFORMED, "claims: " + e.getMessage());
        }
        Optional<Verification.Rejected> claimProblem = checkClaims(claims);
        if (claimProblem.isPresent()) {
            return claimProblem.get();
        }
        return new Verification.Valid(claims, kid);
    }

    private Optional<Verification.Rejected> checkClaims(JWTClaimsSet claims) {
        Optional<Verification.Rejected> time = checkTime(claims);
        if (time.isPresent()) {
            return time;
        }
        if (claims.getSubject() == null) {
            return Optional.of(new Verification.Rejected(Rejection.MISSING_CLAIM, "sub"));
        }
        if (claims.getIssuer() == null || !issuers.contains(claims.getIssuer())) {
            return Optional.of(new Verification.Rejected(Rejection.WRONG_ISSUER, "iss " + claims.getIssuer()));
        }
        if (claims.getAudience() == null || claims.getAudience().stream().noneMatch(audiences::contains)) {
            return Optional.of(new Verification.Rejected(Rejection.WRONG_AUDIENCE, "aud " + claims.getAudience()));
        }
        return Optional.empty();
    }

    private Optional<Verification.Rejected> checkTime(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            return Optional.of(new Verification.Rejected(Rejection.MISSING_CLAIM, "exp"));
        }
        if (!now.minus(clockSkew).isBefore(exp.toInstant())) {
            return Optional.of(new Verification.Rejected(Rejection.EXPIRED, "expired at " + exp.toInstant()));
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(clockSkew).isBefore(nbf.toInstant())) {
            return Optional.of(new Verification.Rejected(Rejection.NOT_YET_VALID, "not before " + nbf.toInstant()));
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.plus(clockSkew).isBefore(iat.toInstant())) {
            return Optional.of(
                    new Verification.Rejected(Rejection.NOT_YET_VALID, "issued in the future, at " + iat.toInstant()));
        }
        return Optional.empty();
    }

    /** A verifier only when the header's algorithm is the one the key is for. */
    private Optional<JWSVerifier> verifierFor(JWK key, JWSAlgorithm alg) {
        if (key.getAlgorithm() != null
                && !key.getAlgorithm().getName().equals(alg.getName())
                && !(isEdDsa(alg) && isEdDsa(new JWSAlgorithm(key.getAlgorithm().getName())))) {
            return Optional.empty();
        }
        JWSVerifier cached = verifiers.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        JWSVerifier verifier;
        try {
            if (isEdDsa(alg) && key instanceof OctetKeyPair okp) {
                verifier = new Ed25519Verifier(okp.toPublicJWK());
            } else if (alg.equals(JWSAlgorithm.ES256) && key instanceof ECKey ec) {
                verifier = new ECDSAVerifier(ec.toPublicJWK());
            } else if (alg.equals(JWSAlgorithm.RS256) && key instanceof RSAKey rsa) {
                verifier = new RSASSAVerifier(rsa.toPublicJWK());
            } else {
                return Optional.empty();
            }
        } catch (JOSEException e) {
            return Optional.empty();
        }
        verifiers.put(key, verifier);
        return Optional.of(verifier);
    }

    private static boolean isEdDsa(JWSAlgorithm alg) {
        return alg.equals(JWSAlgorithm.EdDSA) || alg.equals(JWSAlgorithm.Ed25519);
    }
}
