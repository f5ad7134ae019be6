package io.streamops.gateway.auth.jwt;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.streamops.decisions.SigningKey;
import io.streamops.gateway.keys.KeyRotation;
import io.streamops.gateway.keys.MasterKey;
import io.streamops.gateway.keys.SigningKeyRing;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rejection table: every way a token can be wrong, and the reason code it is refused with. */
class JwtVerifierTest {

    static final Instant NOW = BEGINNING.plus(Duration.ofMinutes(5));
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String ISSUER = "https://auth.example";
    static final MasterKey MASTER = MasterKey.fromBase64(MasterKey.generateBase64());
    static final SigningKeyRing RING = new SigningKeyRing(MASTER, CLOCK);
    static final JWK ED = key(JWSAlgorithm.EdDSA);
    static final JWK ES = key(JWSAlgorithm.ES256);
    static final JWK RS = key(JWSAlgorithm.RS256);
    static final JwtVerifier VERIFIER =
            new JwtVerifier(RING, Set.of(ISSUER), Set.of(ISSUER), Duration.ofSeconds(30), CLOCK);

    static JWK key(JWSAlgorithm alg) {
        KeyRotation rotation =
                new KeyRotation(alg, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofMinutes(16), MASTER);
        SigningKey key = rotation.generate(BEGINNING, BEGINNING, "test key");
        RING.apply(key.getKid(), key);
        try {
            return JWK.parse(
                    MASTER.decrypt(key.getKid(), key.getEncryptedPrivateKey().array()));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> tokens() {
        return Stream.of(
                Arguments.of("a valid EdDSA token is accepted", sign(ED, h -> h, c -> c), null),
                Arguments.of("a valid ES256 token is accepted", sign(ES, h -> h, c -> c), null),
                Arguments.of("a valid RS256 token is accepted", sign(RS, h -> h, c -> c), null),
                Arguments.of("no token", "", Rejection.MISSING_TOKEN),
                Arguments.of("alg none", unsecured(), Rejection.ALG_NONE),
                Arguments.of(
                        "HS256 signed with the public key as the secret (confusion)",
                        hmacWithPublicKey(),
                        Rejection.ALG_NOT_ALLOWED),
                Arguments.of(
                        "RS256 header on an EdDSA key's kid (confusion)",
                        signAs(RS, JWSAlgorithm.RS256, ED.getKeyID()),
                        Rejection.ALG_KEY_MISMATCH),
                Arguments.of(
                        "ES256 header on an RS256 key's kid (confusion)",
                        signAs(ES, JWSAlgorithm.ES256, RS.getKeyID()),
                        Rejection.ALG_KEY_MISMATCH),
                Arguments.of("unknown kid", signAs(ED, JWSAlgorithm.EdDSA, "k-nobody-knows"), Rejection.UNKNOWN_KID),
                Arguments.of(
                        "kid path traversal",
                        signAs(ED, JWSAlgorithm.EdDSA, "../../../../dev/null"),
                        Rejection.INVALID_KID),
                Arguments.of(
                        "kid SQL injection",
                        signAs(ED, JWSAlgorithm.EdDSA, "x' UNION SELECT 'key"),
                        Rejection.INVALID_KID),
                Arguments.of("missing kid", sign(ED, h -> h.keyID(null), c -> c), Rejection.MISSING_KID),
                Arguments.of(
                        "jku header pointing elsewhere",
                        sign(ED, h -> h.jwkURL(URI.create("https://evil.example/jwks")), c -> c),
                        Rejection.KEY_INJECTION),
                Arguments.of(
                        "x5u header pointing elsewhere",
                        sign(ED, h -> h.x509CertURL(URI.create("https://evil.example/cert")), c -> c),
                        Rejection.KEY_INJECTION),
                Arguments.of(
                        "embedded jwk header", sign(ED, h -> h.jwk(ED.toPublicJWK()), c -> c), Rejection.KEY_INJECTION),
                Arguments.of(
                        "unknown crit header",
                        sign(ED, h -> h.criticalParams(Set.of("x-tenant")).customParam("x-tenant", "a"), c -> c),
                        Rejection.UNKNOWN_CRIT),
                Arguments.of(
                        "expired",
                        sign(ED, h -> h, c -> c.expirationTime(Date.from(NOW.minusSeconds(31)))),
                        Rejection.EXPIRED),
                Arguments.of(
                        "expired but within the clock skew",
                        sign(ED, h -> h, c -> c.expirationTime(Date.from(NOW.minusSeconds(10)))),
                        null),
                Arguments.of(
                        "not yet valid",
                        sign(ED, h -> h, c -> c.notBeforeTime(Date.from(NOW.plusSeconds(120)))),
                        Rejection.NOT_YET_VALID),
                Arguments.of(
                        "issued in the future",
                        sign(ED, h -> h, c -> c.issueTime(Date.from(NOW.plusSeconds(120)))),
                        Rejection.NOT_YET_VALID),
                Arguments.of("no exp", sign(ED, h -> h, c -> c.expirationTime(null)), Rejection.MISSING_CLAIM),
                Arguments.of("no sub", sign(ED, h -> h, c -> c.subject(null)), Rejection.MISSING_CLAIM),
                Arguments.of(
                        "wrong issuer",
                        sign(ED, h -> h, c -> c.issuer("https://evil.example")),
                        Rejection.WRONG_ISSUER),
                Arguments.of(
                        "wrong audience",
                        sign(ED, h -> h, c -> c.audience("https://other.example")),
                        Rejection.WRONG_AUDIENCE),
                Arguments.of("tampered payload", tamperPayload(sign(ED, h -> h, c -> c)), Rejection.BAD_SIGNATURE),
                Arguments.of("tampered signature", tamperSignature(sign(ED, h -> h, c -> c)), Rejection.BAD_SIGNATURE),
                Arguments.of(
                        "signed by another key under a known kid",
                        signAs(key(JWSAlgorithm.EdDSA), JWSAlgorithm.EdDSA, ED.getKeyID()),
                        Rejection.BAD_SIGNATURE),
                Arguments.of(
                        "oversized",
                        sign(ED, h -> h, c -> c.claim("pad", "x".repeat(9000))),
                        Rejection.TOKEN_TOO_LARGE),
                Arguments.of("not a JWT", "hello.world", Rejection.MALFORMED),
                Arguments.of("garbage segments", "a.b.c", Rejection.INVALID_BASE64URL),
                Arguments.of("an encrypted token (JWE)", "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", Rejection.MALFORMED),
                // The strict compact serialization: one spelling per token (RFC 7515 section 7.1, RFC 7519).
                Arguments.of(
                        "a token made from raw JSON is accepted (the raw cases below are signed right)",
                        raw(HEADER, PAYLOAD),
                        null),
                Arguments.of(
                        "a '!' inserted in the middle of the signature",
                        insert(VALID, 2, "!"),
                        Rejection.INVALID_BASE64URL),
                Arguments.of(
                        "a '!' inserted in the middle of the payload",
                        insert(VALID, 1, "!"),
                        Rejection.INVALID_BASE64URL),
                Arguments.of("a space inside the header", insert(VALID, 0, " "), Rejection.INVALID_BASE64URL),
                Arguments.of("a line break inside the payload", insert(VALID, 1, "\r\n"), Rejection.INVALID_BASE64URL),
                Arguments.of("padding after the signature", VALID + "==", Rejection.INVALID_BASE64URL),
                Arguments.of(
                        "a '+' of standard base64 in the signature",
                        replaceInSignature(VALID, '+'),
                        Rejection.INVALID_BASE64URL),
                Arguments.of(
                        "a '/' of standard base64 in the signature",
                        replaceInSignature(VALID, '/'),
                        Rejection.INVALID_BASE64URL),
                Arguments.of(
                        "the signature's last character with its unused bits set (the same bytes spelled again)",
                        unusedBitsSet(VALID),
                        Rejection.INVALID_BASE64URL),
                Arguments.of("a signature of a length no base64url has", VALID + "AAA", Rejection.INVALID_BASE64URL),
                Arguments.of("an empty signature", VALID.substring(0, VALID.lastIndexOf('.') + 1), Rejection.MALFORMED),
                Arguments.of("an empty header", VALID.substring(VALID.indexOf('.')), Rejection.MALFORMED),
                Arguments.of("four segments", VALID + ".e30", Rejection.MALFORMED),
                Arguments.of("a header that is a JSON array", raw("[\"EdDSA\"]", PAYLOAD), Rejection.INVALID_JSON),
                Arguments.of("a payload that is a JSON string", raw(HEADER, "\"user-1\""), Rejection.INVALID_JSON),
                Arguments.of(
                        "a payload with more after its object", raw(HEADER, PAYLOAD + "{}"), Rejection.INVALID_JSON),
                Arguments.of(
                        "a payload that is not UTF-8",
                        raw(
                                HEADER.getBytes(StandardCharsets.UTF_8),
                                new byte[] {'{', '"', 's', 'u', 'b', '"', ':', '"', (byte) 0xC3, '"', '}'}),
                        Rejection.INVALID_JSON),
                Arguments.of(
                        "a header that says alg twice (the second none)",
                        raw(HEADER.replace("}", ",\"alg\":\"none\"}"), PAYLOAD),
                        Rejection.DUPLICATE_MEMBER),
                Arguments.of(
                        "a payload that says sub twice",
                        raw(HEADER, PAYLOAD.replace("}", ",\"sub\":\"admin\"}")),
                        Rejection.DUPLICATE_MEMBER));
    }

    static final String VALID = sign(ED, h -> h, c -> c);
    static final String HEADER = "{\"alg\":\"EdDSA\",\"kid\":\"" + ED.getKeyID() + "\",\"typ\":\"JWT\"}";
    static final String PAYLOAD = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + ISSUER + "\",\"sub\":\"user-1\",\"iat\":"
            + NOW.minusSeconds(60).getEpochSecond() + ",\"exp\":"
            + NOW.plusSeconds(600).getEpochSecond() + "}";

    @Test
    void anotherSpellingOfACachedTokenIsStillRefused() {
        JwtVerifier cached = new JwtVerifier(RING, Set.of(ISSUER), Set.of(ISSUER), Duration.ofSeconds(30), CLOCK);
        assertThat(cached.verify(VALID)).isInstanceOf(Verification.Valid.class);

        for (String spelling :
                List.of(insert(VALID, 2, "!"), unusedBitsSet(VALID), VALID + "==", insert(VALID, 1, " "))) {
            assertThat(cached.verify(spelling))
                    .as(spelling)
                    .isInstanceOfSatisfying(
                            Verification.Rejected.class,
                            r -> assertThat(r.reason()).isEqualTo(Rejection.INVALID_BASE64URL));
        }
        assertThat(cached.verify(VALID)).isInstanceOf(Verification.Valid.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokens")
    void refusesWithAReasonOrAccepts(String description, String token, Rejection expected) {
        Verification result = VERIFIER.verify(token);

        if (expected == null) {
            assertThat(result)
                    .isInstanceOfSatisfying(
                            Verification.Valid.class,
                            v -> assertThat(v.claims().getSubject()).isEqualTo("user-1"));
        } else {
            assertThat(result)
                    .isInstanceOfSatisfying(
                            Verification.Rejected.class,
                            r -> assertThat(r.reason()).as(r.detail()).isEqualTo(expected));
        }
    }

    /** Inserts {@code text} in the middle of segment {@code index} of a token. */
    static String insert(String token, int index, String text) {
        String[] parts = token.split("\\.", -1);
        parts[index] = parts[index].substring(0, parts[index].length() / 2)
                + text
                + parts[index].substring(parts[index].length() / 2);
        return String.join(".", parts);
    }

    static String replaceInSignature(String token, char c) {
        int at = token.lastIndexOf('.') + 5;
        return token.substring(0, at) + c + token.substring(at + 1);
    }

    /** An Ed25519 signature is 64 bytes, 86 characters: the last carries 4 unused bits; set the lowest. */
    static String unusedBitsSet(String token) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) | 1);
    }

    static String raw(String header, String payload) {
        return raw(header.getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8));
    }

    /** A token over exactly these header and payload bytes, signed by the EdDSA key. */
    static String raw(byte[] header, byte[] payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(header) + "." + b64.encodeToString(payload);
        try {
            return input + "."
                    + new Ed25519Signer((OctetKeyPair) ED)
                            .sign(
                                    new JWSHeader.Builder(JWSAlgorithm.EdDSA).build(),
                                    input.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(
            JWK key,
            UnaryOperator<JWSHeader.Builder> header,
            Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> claims) {
        JWSHeader.Builder h = new JWSHeader.Builder(
                        JWSAlgorithm.parse(key.getAlgorithm().getName()))
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT);
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(ISSUER)
                .subject("user-1")
                .issueTime(Date.from(NOW.minusSeconds(60)))
                .expirationTime(Date.from(NOW.plusSeconds(600)));
        return signed(header.apply(h).build(), claims.apply(c).build(), signer(key));
    }

    static String signAs(JWK key, JWSAlgorithm alg, String kid) {
        return sign(key, h -> new JWSHeader.Builder(alg).keyID(kid), c -> c);
    }

    static String hmacWithPublicKey() {
        byte[] secret = ED.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        try {
            return signed(
                    new JWSHeader.Builder(JWSAlgorithm.HS256)
                            .keyID(ED.getKeyID())
                            .build(),
                    new JWTClaimsSet.Builder()
                            .issuer(ISSUER)
                            .audience(ISSUER)
                            .subject("user-1")
                            .expirationTime(Date.from(NOW.plusSeconds(600)))
                            .build(),
                    new MACSigner(secret));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String unsecured() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\",\"kid\":\"x\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"user-1\",\"iss\":\"" + ISSUER + "\",\"exp\":"
                                + NOW.plusSeconds(600).getEpochSecond() + "}")
                        .getBytes(StandardCharsets.UTF_8))
                + ".";
    }

    static String tamperPayload(String token) {
        String[] parts = token.split("\\.");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String payload =
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("user-1", "admin");
        return parts[0] + "." + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    static String tamperSignature(String token) {
        char last = token.charAt(token.length() - 2);
        return token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
    }

    static String signed(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JWSSigner signer(JWK key) {
        try {
            if (key instanceof OctetKeyPair okp) {
                return new Ed25519Signer(okp);
            }
            if (key instanceof ECKey ec) {
                return new ECDSASigner(ec);
            }
            return new RSASSASigner((RSAKey) key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
