package io.streamops.benchmarks.suite;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The results file and BENCHMARKS.md written from it. Running one part replaces that part's entry
 * and keeps the others, so the page always shows the newest run of every part, each with its date.
 */
final class Report {

    static final String PLOT = "latency-vs-connections.png";

    private final JsonObject results;

    private Report(JsonObject results) {
        this.results = results;
    }

    static Report load(Path file) throws IOException {
        return new Report(
                Files.exists(file)
                        ? new JsonObject(Files.readString(file))
                        : new JsonObject().put("parts", new JsonObject()));
    }

    void put(Part part, Part.Result result, double seconds, JsonObject machine, String commit, boolean quick) {
        JsonArray figures = new JsonArray();
        result.figures().forEach(f -> figures.add(f.toJson()));
        JsonArray curves = new JsonArray();
        result.curves().forEach(c -> curves.add(c.toJson()));
        results.getJsonObject("parts")
                .put(
                        part.name(),
                        new JsonObject()
                                .put("title", part.title())
                                .put("method", part.method())
                                .put("command", "benchmarks/run " + (quick ? "--quick " : "") + part.name())
                                .put("finished", Instant.now().toString())
                                .put("seconds", Math.round(seconds))
                                .put("commit", commit)
                                .put("machine", machine)
                                .put("figures", figures)
                                .put("curves", curves)
                                .put("notes", new JsonArray(result.notes())));
    }

    List<Curve> curves(String part) {
        JsonObject entry = results.getJsonObject("parts").getJsonObject(part);
        return entry == null
                ? List.of()
                : entry.getJsonArray("curves").stream()
                        .map(JsonObject.class::cast)
                        .map(Curve::fromJson)
                        .toList();
    }

    void write(Path resultsFile, Path markdown, List<Part> order) throws IOException {
        Files.createDirectories(resultsFile.getParent());
        Files.writeString(resultsFile, results.encodePrettily() + "\n");
        Files.writeString(markdown, markdown(order, markdown.getParent().relativize(resultsFile.getParent())));
    }

    private String markdown(List<Part> order, Path resultsDir) {
        JsonObject parts = results.getJsonObject("parts");
        StringBuilder md = new StringBuilder("# Benchmarks\n\n");
        md.append("Written by `benchmarks/run` from [`")
                .append(resultsDir.resolve("results.json"))
                .append("`](")
                .append(resultsDir.resolve("results.json"))
                .append("), which holds every figure below.\n\n");
        md.append("""
                The machine these ran on is shared and noisy: judge the **ratios**, each measured beside its \
                baseline in the same run on the same machine; absolute figures are there for scale. Re-run \
                everything with `benchmarks/run` (about 15 minutes), or one part with `benchmarks/run <part>`; \
                `--quick` shortens every measurement for a smoke run (its figures are not for publishing).

                """);
        md.append("## Targets\n\n| Part | Figure | Value | Target | Met |\n|---|---|---|---|---|\n");
        for (Part part : order) {
            JsonObject entry = parts.getJsonObject(part.name());
            if (entry == null) {
                continue;
            }
            for (Object o : entry.getJsonArray("figures")) {
                Figure f = Figure.fromJson((JsonObject) o);
                if (f.target() != null) {
                    md.append("| ")
                            .append(part.name())
                            .append(" | ")
                            .append(f.name())
                            .append(" | ")
                            .append(value(f.value(), f.unit()))
                            .append(" | ")
                            .append(f.target())
                            .append(" | ")
                            .append(f.met() ? "yes" : "**no**")
                            .append(" |\n");
                }
            }
        }
        for (Part part : order) {
            JsonObject entry = parts.getJsonObject(part.name());
            md.append("\n## ").append(part.title()).append("\n\n");
            if (entry == null) {
                md.append("Not run yet: `benchmarks/run ").append(part.name()).append("`.\n");
                continue;
            }
            JsonObject machine = entry.getJsonObject("machine");
            md.append("`")
                    .append(entry.getString("command"))
                    .append("`: ")
                    .append(entry.getString("finished"))
                    .append(", commit `")
                    .append(entry.getString("commit"))
                    .append("`, ")
                    .append(entry.getLong("seconds"))
                    .append(" s, on ")
                    .append(describe(machine))
                    .append(".\n\n");
            md.append(entry.getString("method")).append("\n\n");
            md.append("| Figure | Value | Baseline | Baseline value | Ratio | Target |\n|---|---|---|---|---|---|\n");
            for (Object o : entry.getJsonArray("figures")) {
                Figure f = Figure.fromJson((JsonObject) o);
                md.append("| ")
                        .append(f.name())
                        .append(" | ")
                        .append(value(f.value(), f.unit()))
                        .append(" | ")
                        .append(f.baselineName() == null ? "" : f.baselineName())
                        .append(" | ")
                        .append(f.baselineName() == null ? "" : value(f.baseline(), f.unit()))
                        .append(" | ")
                        .append(Double.isNaN(f.ratio()) ? "" : ratio(f.ratio()))
                        .append(" | ")
                        .append(f.target() == null ? "" : f.target() + (f.met() ? " ✓" : " ✗"))
                        .append(" |\n");
            }
            JsonArray notes = entry.getJsonArray("notes");
            if (!notes.isEmpty()) {
                md.append("\n");
                notes.forEach(n -> md.append("- ").append(n).append("\n"));
            }
            if (!entry.getJsonArray("curves").isEmpty()) {
                md.append("\n![Latency against connections, streamops gateway and nginx](")
                        .append(resultsDir.resolve(PLOT))
                        .append(")\n");
            }
        }
        return md.toString();
    }

    private static String describe(JsonObject machine) {
        return String.format(
                Locale.ROOT,
                "%s, %d cores, %.0f GiB, %s, Java %s",
                machine.getString("cpu"),
                machine.getInteger("cores"),
                machine.getDouble("memoryGiB"),
                machine.getString("os"),
                machine.getString("java"));
    }

    static String value(double value, String unit) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        String number = magnitude >= 100 || value == Math.rint(value)
                ? String.format(Locale.ROOT, "%,.0f", value)
                : magnitude >= 10
                        ? String.format(Locale.ROOT, "%.1f", value)
                        : magnitude >= 0.01
                                ? String.format(Locale.ROOT, "%.2f", value)
                                : String.format(Locale.ROOT, "%.3g", value);
        return number + " " + unit;
    }

    /** Two significant digits below 0.1 (a cache against a signature check is 0.0007×, not 0.00×). */
    static String ratio(double ratio) {
        return ratio != 0 && Math.abs(ratio) < 0.1
                ? new BigDecimal(ratio).round(new MathContext(2)).toPlainString() + "×"
                : String.format(Locale.ROOT, "%.2f×", ratio);
    }
}
