package io.streamops.benchmarks.suite;

import io.streamops.benchmarks.Measures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The JMH microbenchmarks of the hot paths, each beside its baseline. */
final class MicroPart implements Part {

    /** What a JMH run measured: mean per operation, p99 where sampled (NaN otherwise), and the unit. */
    private record Measured(double mean, double p99, String unit) {}

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
        for (String subject : new TreeSet<>(byName.keySet())) {
            String benchmark = subject.contains("@") ? subject.substring(0, subject.indexOf('@')) : subject;
            String variant = subject.substring(benchmark.length());
            Optional<Measures> figure = measures(benchmark);
            if (figure.isEmpty()) {
                continue;
            }
            Measured measured = byName.get(subject);
            String label = figure.get().value() + (variant.isEmpty() ? "" : ", " + variant.substring(1));
            String baselineLabel =
                    figure.get().baseline().isEmpty() ? null : figure.get().baselineLabel();
            Measured baseline = baselineLabel == null
                    ? null
                    : byName.get(benchmark.substring(0, benchmark.indexOf('.') + 1)
                            + figure.get().baseline()
                            + variant);
            figures.add(with(
                    Figure.of(name(), label + ", mean", measured.mean(), measured.unit(), "lower"),
                    baselineLabel,
                    baseline == null ? Double.NaN : baseline.mean()));
            if (!Double.isNaN(measured.p99())) {
                figures.add(with(
                        Figure.of(name(), label + ", p99", measured.p99(), measured.unit(), "lower"),
                        baselineLabel,
                        baseline == null ? Double.NaN : baseline.p99()));
            }
        }
        return new Result(figures, List.of(), List.of());
    }

    /** The {@link Measures} of a benchmark ({@code Class.method}), if it is a figure of the suite. */
    static Optional<Measures> measures(String benchmark) {
        String[] parts = benchmark.split("\\.");
        try {
            Class<?> type = Class.forName("io.streamops.benchmarks." + parts[0]);
            return Arrays.stream(type.getMethods())
                    .filter(m -> m.getName().equals(parts[1]))
                    .map(m -> m.getAnnotation(Measures.class))
                    .filter(java.util.Objects::nonNull)
                    .findFirst();
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }

    private static Figure with(Figure figure, String baselineLabel, double baseline) {
        return baselineLabel == null || Double.isNaN(baseline) ? figure : figure.against(baselineLabel, baseline);
    }
}
