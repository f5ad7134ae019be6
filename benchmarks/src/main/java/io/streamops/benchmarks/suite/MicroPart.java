package io.streamops.benchmarks.suite;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The JMH microbenchmarks of the hot paths, each beside its baseline. */
final class MicroPart implements Part {

    /** A benchmark method and the one it is judged against ({@code Class.method}); a workflow adds its inner loop here. */
    private record Pair(String label, String subject, String baselineLabel, String baseline) {}

    /** What a JMH run measured: mean per operation, p99 where sampled (NaN otherwise), and the unit. */
    private record Measured(double mean, double p99, String unit) {}

    private static final List<Pair> PAIRS = List.of(
            new Pair(
                    "Avro serialize, Confluent-framed",
                    "SerdeBenchmark.confluentSerialize",
                    "raw Avro encode",
                    "SerdeBenchmark.baselineRawAvroEncode"),
            new Pair(
                    "Avro deserialize, Confluent-framed",
                    "SerdeBenchmark.confluentDeserialize",
                    "raw Avro decode",
                    "SerdeBenchmark.baselineRawAvroDecode"),
            new Pair(
                    "decision with evidence, built and encoded",
                    "EnvelopeBenchmark.decisionWithEvidence",
                    "same decision, empty evidence",
                    "EnvelopeBenchmark.baselineDecisionWithoutEvidence"),
            new Pair(
                    "JWT verify, token's first use",
                    "JwtBenchmark.verifyFirstUse",
                    "nimbus verify alone",
                    "JwtBenchmark.baselineNimbusVerify"),
            new Pair(
                    "JWT verify, token seen before",
                    "JwtBenchmark.verify",
                    "nimbus verify alone",
                    "JwtBenchmark.baselineNimbusVerify"),
            new Pair("JWT sign", "JwtBenchmark.sign", null, null),
            new Pair(
                    "password verify, argon2id",
                    "PasswordBenchmark.argon2idVerify",
                    "Better-Auth's scrypt",
                    "PasswordBenchmark.baselineBetterAuthScryptVerify"),
            new Pair(
                    "proxied request with JWT (loopback)",
                    "ProxyAuthBenchmark.proxiedWithJwt",
                    "same, open route",
                    "ProxyAuthBenchmark.baselineProxiedOpen"));

    @Override
    public String name() {
        return "micro";
    }

    @Override
    public String title() {
        return "Microbenchmarks (JMH)";
    }

    @Override
    public String method() {
        return """
                JMH 1.37, one fork per benchmark, run from the shaded `benchmarks/target/benchmarks.jar` \
                (`java -jar benchmarks/target/benchmarks.jar <Benchmark>` runs one with its own annotations). \
                Means are per operation; p99 is given for the sample-time benchmarks (JWT, proxy). The JWT \
                benchmarks run once per algorithm (EdDSA, ES256, RS256). The proxied request goes through a \
                gateway in the benchmark's JVM over loopback, with request events going to an in-memory producer.""";
    }

    @Override
    public Result run(Bench bench) throws Exception {
        Options options = new OptionsBuilder()
                .include("io\\.streamops\\.benchmarks\\.[A-Za-z]+Benchmark\\.")
                .warmupIterations(bench.quick() ? 1 : 2)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(bench.quick() ? 2 : 3)
                .measurementTime(TimeValue.seconds(bench.quick() ? 1 : 2))
                .forks(1)
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> runs = new Runner(options).run();
        Map<String, Measured> byName = new HashMap<>();
        for (RunResult run : runs) {
            String benchmark = run.getParams().getBenchmark();
            String key = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            String algorithm = run.getParams().getParam("algorithm");
            var primary = run.getPrimaryResult();
            // Sample-time runs hold thousands of samples; average-time runs one score per iteration.
            double p99 = primary.getStatistics().getN() > 1_000
                    ? primary.getStatistics().getPercentile(99)
                    : Double.NaN;
            byName.put(
                    algorithm == null ? key : key + "@" + algorithm,
                    new Measured(
                            primary.getScore(),
                            p99,
                            primary.getScoreUnit().replace("/op", "").replace("us", "µs")));
        }
        List<Figure> figures = new ArrayList<>();
        for (Pair pair : PAIRS) {
            for (String variant : List.of("", "@EdDSA", "@ES256", "@RS256")) {
                Measured subject = byName.get(pair.subject() + variant);
                if (subject == null) {
                    continue;
                }
                String label = pair.label() + (variant.isEmpty() ? "" : ", " + variant.substring(1));
                Measured baseline = pair.baseline() == null ? null : byName.get(pair.baseline() + variant);
                figures.add(with(
                        Figure.of(name(), label + ", mean", subject.mean(), subject.unit(), "lower"),
                        pair.baselineLabel(),
                        baseline == null ? Double.NaN : baseline.mean()));
                if (!Double.isNaN(subject.p99())) {
                    figures.add(with(
                            Figure.of(name(), label + ", p99", subject.p99(), subject.unit(), "lower"),
                            pair.baselineLabel(),
                            baseline == null ? Double.NaN : baseline.p99()));
                }
            }
        }
        return new Result(figures, List.of(), List.of());
    }

    private static Figure with(Figure figure, String baselineLabel, double baseline) {
        return baselineLabel == null || Double.isNaN(baseline) ? figure : figure.against(baselineLabel, baseline);
    }
}
