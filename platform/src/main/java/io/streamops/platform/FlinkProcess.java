package io.streamops.platform;

import io.streamops.schemas.kafka.KafkaClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Flink jobs on a local MiniCluster in a child JVM (the Kafka connector pins an older
 * kafka-clients than the broker and Kafka Streams use). The child stops when its stdin closes,
 * so it never outlives the platform. The benchmark suite starts one too, to measure the jobs.
 */
public final class FlinkProcess implements AutoCloseable {

    static final String READY = "STREAMOPS-FLINK-READY";

    private final Process process;
    private final String restUrl;

    private FlinkProcess(Process process, String restUrl) {
        this.process = process;
        this.restUrl = restUrl;
    }

    public static FlinkProcess start(Path home, Path dataDir, Map<String, String> settings, Duration timeout)
            throws IOException {
        Path logDir = Files.createDirectories(dataDir.resolve("logs"));
        Process process = jobsJvm(home, dataDir, "io.streamops.jobs.LocalFlink", logDir.resolve("flink.log"), settings)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread output =
                new Thread(() -> copyOutput(process, logDir.resolve("flink-stdout.log"), ready, READY), "flink-output");
        output.setDaemon(true);
        output.start();
        try {
            return new FlinkProcess(process, ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    "the Flink MiniCluster did not start within " + timeout + "; see " + logDir
                            + "; its output ended:\n" + tail(logDir.resolve("flink-stdout.log"), 20),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted starting Flink", e);
        }
    }

    /**
     * Runs one job over its inputs' history to their current end on a MiniCluster of its own
     * ({@code io.streamops.jobs.FlinkReplay}), and waits until it has finished.
     */
    public static void replay(Path home, Path workDir, Map<String, String> settings, Duration timeout)
            throws IOException {
        Path logDir = Files.createDirectories(workDir.resolve("logs"));
        Process process = jobsJvm(
                        home, workDir, "io.streamops.jobs.FlinkReplay", logDir.resolve("replay.log"), settings)
                .redirectErrorStream(true)
                .redirectOutput(logDir.resolve("replay-stdout.log").toFile())
                .start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "the Flink replay did not finish within " + timeout + "; see " + logDir);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted replaying", e);
        }
        if (process.exitValue() != 0) {
            List<String> output = Files.readAllLines(logDir.resolve("replay-stdout.log"));
            throw new IllegalStateException("the Flink replay failed (exit " + process.exitValue() + "); see " + logDir
                    + "; it ended with:\n"
                    + String.join("\n", output.subList(Math.max(0, output.size() - 25), output.size())));
        }
    }

    /**
     * A JVM with the jobs module and Flink on its classpath. Settings go as arguments, but Kafka
     * client properties (which may hold credentials) go in its environment, where other users of
     * the machine cannot read them.
     */
    private static ProcessBuilder jobsJvm(
            Path home, Path dataDir, String mainClass, Path logFile, Map<String, String> settings) throws IOException {
        Path jobs = home.resolve("jobs/target");
        Path classpathFile = jobs.resolve("local.classpath");
        Path jar;
        try (var jars = Files.list(jobs)) {
            jar = jars.filter(p -> p.getFileName().toString().matches("streamops-jobs-.*(?<!flink-job)\\.jar"))
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalStateException("no jobs jar in " + jobs + ": build with ./streamops"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot find the jobs build in " + jobs + ": build with ./streamops", e);
        }
        Path logConfig =
                dataDir.resolve("flink/log4j2-" + mainClass.substring(mainClass.lastIndexOf('.') + 1) + ".xml");
        Files.createDirectories(logConfig.getParent());
        Files.writeString(
                logConfig, LOG_CONFIG.replace("@LOG@", logFile.toAbsolutePath().toString()));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Dlog4j2.configurationFile=" + logConfig.toAbsolutePath(),
                "-cp",
                jar
                        + java.io.File.pathSeparator
                        + Files.readString(classpathFile).trim(),
                mainClass));
        ProcessBuilder builder = new ProcessBuilder(command);
        settings.forEach((k, v) -> {
            if (KafkaClients.CLIENT.matches(k)) {
                builder.environment().put(k.toUpperCase(Locale.ROOT).replace('.', '_'), v);
            } else {
                command.add(k + "=" + v);
            }
        });
        return builder.command(command);
    }

    /** Copies the child's output to a file and completes {@code ready} with its REST URL. */
    private static void copyOutput(Process process, Path file, CompletableFuture<String> ready, String readyLine) {
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                var writer = Files.newBufferedWriter(file)) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(readyLine)) {
                    ready.complete(line.substring(readyLine.length()).trim());
                }
                writer.write(line);
                writer.newLine();
                writer.flush();
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("the Flink process exited"));
    }

    /** The last lines of a log, for an error that names why a child JVM stopped (a test's directory is gone after it). */
    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    String restUrl() {
        return restUrl;
    }

    @Override
    public void close() {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.flush();
        } catch (IOException e) {
            // Already gone.
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static final String LOG_CONFIG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Configuration status="WARN">
              <Appenders>
                <File name="file" fileName="@LOG@" append="true">
                  <PatternLayout pattern="%d{ISO8601} %-5level [%t] %c{1} - %msg%n"/>
                </File>
              </Appenders>
              <Loggers>
                <Logger name="io.streamops" level="INFO"/>
                <Root level="WARN"><AppenderRef ref="file"/></Root>
              </Loggers>
            </Configuration>
            """;
}
