package io.streamops.benchmarks;

import io.streamops.gateway.auth.PasswordHasher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Password verification cost: argon2id with OWASP's parameters (new hashes) against the baseline of
 * Better-Auth's scrypt (imported hashes). Slow on purpose; this bounds sign-ins per core.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PasswordBenchmark {

    private static final String BETTER_AUTH_HASH =
            "588e93d2c2e8c2ac766ddad0c6ab431b:fae7119e54dbe661668dc076c305aa89add40c441061"
                    + "dbad4e3ae849e6555f1711dfdc5c3b92061c0d3dbcb7b35cd0592553e8bdf8538bd6885f21fc93a7b723";

    private final PasswordHasher hasher = new PasswordHasher();
    private String argon2id;

    @Setup
    public void setUp() {
        argon2id = hasher.hash("correct horse battery staple");
    }

    @Benchmark
    @Measures(
            value = "password verify, argon2id",
            baseline = "baselineBetterAuthScryptVerify",
            baselineLabel = "Better-Auth's scrypt")
    public boolean argon2idVerify() {
        return hasher.verify("correct horse battery staple", argon2id);
    }

    @Benchmark
    public boolean baselineBetterAuthScryptVerify() {
        return hasher.verify("correct horse battery staple", BETTER_AUTH_HASH);
    }
}
