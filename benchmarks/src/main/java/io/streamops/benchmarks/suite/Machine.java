package io.streamops.benchmarks.suite;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Facts about the machine and the checkout a run measured, for the report. */
final class Machine {

    private Machine() {}

    /** This machine, for a part's entry in the report, with the versions of the tools it ran. */
    static JsonObject describe(Map<String, String> tools) {
        JsonObject machine = new JsonObject()
                .put("cpu", cpu())
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("memoryGiB", memoryGiB())
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
                .put("java", System.getProperty("java.version"));
        tools.forEach(machine::put);
        return machine;
    }

    private static String cpu() {
        return procLine(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch"));
    }

    private static double memoryGiB() {
        return procLine(Path.of("/proc/meminfo"), "MemTotal")
                .map(v -> Long.parseLong(v.replaceAll("[^0-9]", "")) / (1024.0 * 1024.0))
                .orElse(Double.NaN);
    }

    /** The commit, with "+changes" when the work tree differs from it. */
    static String commit(Path home) {
        String head = run(home, "git", "rev-parse", "--short", "HEAD");
        // The suite's own outputs do not make the code that measured them a different one.
        String status = run(
                home,
                "git",
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                ".",
                ":(exclude)BENCHMARKS.md",
                ":(exclude)benchmarks/results");
        return head.isEmpty() ? "unknown" : status.isEmpty() ? head : head + "+changes";
    }

    /** What a command prints about its own version, e.g. {@code nginx -v}. */
    static String version(String... command) {
        String out = run(Path.of("."), command);
        return out.isEmpty() ? "not found" : out.lines().findFirst().orElse("");
    }

    private static Optional<String> procLine(Path file, String key) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String run(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
