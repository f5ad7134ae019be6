package io.streamops.benchmarks;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.streamops.decisions.SigningKey;
import io.streamops.gateway.auth.jwt.JwtIssuer;
import io.streamops.gateway.auth.jwt.JwtVerifier;
import io.streamops.gateway.auth.jwt.Verification;
import io.streamops.gateway.keys.KeyRotation;
import io.streamops.gateway.keys.MasterKey;
import io.streamops.gateway.keys.SigningKeyRing;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's JWT verification (parse, header and kid checks, signature, claims; first use, and
 * a token seen before) against its baseline, nimbus alone (parse and signature), and signing, per
 * algorithm. SampleTime gives the
 * percentiles (p99 is the figure the gateway is judged by).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class JwtBenchmark {

    @Param({"EdDSA", "ES256", "RS256"})
    public String algorithm;

    private JwtVerifier verifier;
    private JwtVerifier uncached;
    private JwtIssuer issuer;
    private JWSVerifier nimbus;
    private String token;

    @Setup
    public void setUp() throws Exception {
        Clock clock = Clock.systemUTC();
        MasterKey master = MasterKey.fromBase64(MasterKey.generateBase64());
        KeyRotation rotation = new KeyRotation(
                JWSAlgorithm.parse(algorithm),
                Duration.ofHours(1),
                Duration.ofMinutes(5),
                Duration.ofMinutes(16),
                master);
        SigningKey key = rotation.due(Optional.empty(), clock.instant()).orElseThrow();
        SigningKeyRing ring = new SigningKeyRing(master, clock);
        ring.apply(key.getKid(), key);
        issuer = new JwtIssuer(ring, "https://gateway.bench", "https://gateway.bench", Duration.ofMinutes(15), clock);
        verifier = new JwtVerifier(
                ring, Set.of("https://gateway.bench"), Set.of("https://gateway.bench"), Duration.ofSeconds(30), clock);
        uncached = new JwtVerifier(
                ring,
                Set.of("https://gateway.bench"),
                Set.of("https://gateway.bench"),
                Duration.ofSeconds(30),
                clock,
                0);
        token = issuer.issue("user-1", Map.of("email", "user@example.com", "name", "User"));
        JWK pub = JWK.parse(key.getPublicJwk());
        nimbus = pub instanceof OctetKeyPair okp
                ? new Ed25519Verifier(okp)
                : pub instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAKey) pub);
        if (!(verifier.verify(token) instanceof Verification.Valid)) {
            throw new IllegalStateException("benchmark token does not verify");
        }
    }

    /** A token seen before: the gateway's usual case (clients reuse a token for minutes). */
    @Benchmark
    @Measures(
            value = "JWT verify, token seen before",
            baseline = "baselineNimbusVerify",
            baselineLabel = "nimbus verify alone")
    public Verification verify() {
        return verifier.verify(token);
    }

    /** Every signature checked: a token's first use. */
    @Benchmark
    @Measures(
            value = "JWT verify, token's first use",
            baseline = "baselineNimbusVerify",
            baselineLabel = "nimbus verify alone")
    public Verification verifyFirstUse() {
        return uncached.verify(token);
    }

    @Benchmark
    public boolean baselineNimbusVerify() throws Exception {
        return SignedJWT.parse(token).verify(nimbus);
    }

    @Benchmark
    @Measures(value = "JWT sign")
    public String sign() {
        return issuer.issue("user-1", Map.of("email", "user@example.com", "name", "User"));
    }
}
