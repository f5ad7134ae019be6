package io.streamops.benchmarks.suite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A process the suite runs beside itself (the platform, nginx, the Better-Auth server): its output
 * goes to a log file, it is ready when it prints a line or opens a port, and it is stopped with
 * SIGTERM, then killed if it does not exit. Its stdin stays open until then, for children that
 * exit when it closes.
 */
final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final CompletableFuture<String> readyLine = new CompletableFuture<>();
    private final String readyPrefix;

    private ChildProcess(String name, Process process, String readyPrefix) {
        this.name = name;
        this.process = process;
        this.readyPrefix = readyPrefix;
    }

    /** Starts {@code command}; with a {@code readyPrefix}, {@link #awaitLine} waits for a line starting with it. */
    static ChildProcess start(String name, List<String> command, Map<String, String> env, Path log, String readyPrefix)
            throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        ChildProcess child = new ChildProcess(name, builder.start(), readyPrefix);
        Thread copier = new Thread(() -> child.copyOutput(log), name + "-output");
        copier.setDaemon(true);
        copier.start();
        return child;
    }

    private void copyOutput(Path log) {
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                var writer = Files.newBufferedWriter(log)) {
            String line;
            while ((line = out.readLine()) != null) {
                if (readyPrefix != null && line.contains(readyPrefix)) {
                    readyLine.complete(line);
                }
                writer.write(line);
                writer.newLine();
                writer.flush();
            }
        } catch (IOException e) {
            readyLine.completeExceptionally(e);
        }
        readyLine.completeExceptionally(new IllegalStateException(name + " exited before it was ready; see its log"));
    }

    String awaitLine(Duration timeout) {
        try {
            return readyLine.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " was not ready within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }

    /**
     * Waits until the process and its children (the platform's Flink JVM) have used under a fifth
     * of a core for three seconds in a row: started, and done with what starting sets off (job
     * submission, rebalances, compilation), so that a measurement does not pay for it.
     */
    void awaitQuiet(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int quietSeconds = 0;
        long before = cpuNanos();
        while (quietSeconds < 3) {
            if (System.nanoTime() > deadline) {
                System.out.println("  (" + name + " still busy after " + timeout + "; measuring anyway)");
                return;
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            long now = cpuNanos();
            quietSeconds = now - before < TimeUnit.MILLISECONDS.toNanos(200) ? quietSeconds + 1 : 0;
            before = now;
        }
    }

    private long cpuNanos() {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .mapToLong(
                        p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                .sum();
    }

    void awaitPort(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see its log");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " did not open port " + port + " within " + timeout);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    @Override
    public void close() {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.flush();
        } catch (IOException e) {
            // Already gone.
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
