package io.streamops.benchmarks.suite;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The benchmark suite: runs every part, or the named ones, and writes BENCHMARKS.md, the results
 * file and the plot. Started by {@code benchmarks/run}, which builds and installs what it needs.
 */
@Command(
        name = "benchmarks/run",
        mixinStandardHelpOptions = true,
        description =
                "Runs the benchmark suite (or some parts: micro, pipeline, gateway, auth, latency, ratelimit) and writes BENCHMARKS.md.")
public final class Suite implements Callable<Integer> {

    /** In the order they run and appear; a workflow adds its figures inside a part, not a new harness. */
    static final List<Part> PARTS = List.of(
            new MicroPart(),
            new PipelinePart(),
            new GatewayLoadPart(),
            new AuthPart(),
            new LatencyPart(),
            new RateLimitPart(),
            new CachePart(),
            new BatchingPart());

    @Option(names = "--quick", description = "Short measurements, for a smoke run; not for publishing.")
    boolean quick;

    @Option(
            names = "--render",
            description =
                    "Measure nothing: write BENCHMARKS.md again from results.json (after merging two runs' results).")
    boolean render;

    @Parameters(arity = "0..*", paramLabel = "PART", description = "Parts to run (default: all).")
    List<String> names = new ArrayList<>();

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new Suite()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("streamops.home", "."))
                .toAbsolutePath()
                .normalize();
        List<Part> selected =
                names.isEmpty() ? PARTS : names.stream().map(Suite::part).toList();
        Path resultsDir = home.resolve("benchmarks/results");
        Path resultsFile = resultsDir.resolve("results.json");
        Report report = Report.load(resultsFile);
        if (render) {
            report.write(resultsFile, home.resolve("BENCHMARKS.md"), PARTS);
            System.out.println("Wrote BENCHMARKS.md from " + home.relativize(resultsFile));
            return 0;
        }
        JsonObject machine = Machine.describe(
                Map.of("nginx", Machine.version("nginx", "-v"), "node", Machine.version("node", "--version")));
        String commit = Machine.commit(home);
        int failed = 0;
        try (Bench bench = new Bench(home, home.resolve("benchmarks/target/suite-run"), quick)) {
            for (Part part : selected) {
                System.out.println("== " + part.title());
                long start = System.nanoTime();
                try {
                    Part.Result result = part.run(bench);
                    result.figures()
                            .forEach(f -> System.out.println("  " + f.name() + ": " + Report.value(f.value(), f.unit())
                                    + (f.baselineName() == null
                                            ? ""
                                            : String.format(
                                                    "  (%s: %s, ratio %s)",
                                                    f.baselineName(),
                                                    Report.value(f.baseline(), f.unit()),
                                                    Report.ratio(f.ratio())))));
                    report.put(part, result, (System.nanoTime() - start) / 1e9, machine, commit, quick);
                    report.write(resultsFile, home.resolve("BENCHMARKS.md"), PARTS);
                    if (!report.curves(part.name()).isEmpty()) {
                        Plot.write(report.curves(part.name()), resultsDir.resolve(Report.PLOT));
                    }
                } catch (Exception e) {
                    failed++;
                    System.err.println("Part " + part.name() + " failed: " + e);
                    e.printStackTrace();
                }
            }
        }
        System.out.println(
                failed == 0
                        ? "Wrote BENCHMARKS.md and " + home.relativize(resultsFile)
                        : failed + " part(s) failed; the others were written to BENCHMARKS.md");
        return failed == 0 ? 0 : 1;
    }

    private static Part part(String name) {
        return PARTS.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new CommandLine.ParameterException(
                        new CommandLine(new Suite()),
                        "unknown part '" + name + "'; parts are "
                                + PARTS.stream().map(Part::name).toList()));
    }
}
