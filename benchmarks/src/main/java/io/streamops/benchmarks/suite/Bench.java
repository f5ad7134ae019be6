package io.streamops.benchmarks.suite;

import io.streamops.benchmarks.load.LoadGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;

/**
 * What the parts of one suite run share: where the repository and the run's files are, how long
 * to measure, and the processes under test, each started on first use and stopped at the end.
 */
final class Bench implements AutoCloseable {

    private final Path home;
    private final Path work;
    private final boolean quick;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Nginx nginx;
    private PlatformUnderTest platform;
    private LoadGenerator load;
    private BetterAuthServer betterAuth;

    /** Starts from an empty {@code work} directory: every run gets a new broker, accounts and state. */
    Bench(Path home, Path work, boolean quick) throws IOException {
        this.home = home;
        this.work = work;
        this.quick = quick;
        if (Files.exists(work)) {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(work);
    }

    Path home() {
        return home;
    }

    Path work() {
        return work;
    }

    boolean quick() {
        return quick;
    }

    /**
     * Load before measuring: connections open, caches filled, and the JIT done compiling, which
     * takes seconds when its compiler threads share two cores with the load.
     */
    Duration warmup() {
        return quick ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
    }

    Duration measure() {
        return quick ? Duration.ofSeconds(5) : Duration.ofSeconds(20);
    }

    Nginx nginx() throws IOException {
        if (nginx == null) {
            nginx = Nginx.start(work.resolve("nginx"));
            started.push(nginx);
        }
        return nginx;
    }

    PlatformUnderTest platform() throws IOException {
        if (platform == null) {
            System.out.println("Starting the platform under test ...");
            platform = PlatformUnderTest.start(home, work, nginx().upstreamPort());
            started.push(platform);
        }
        return platform;
    }

    BetterAuthServer betterAuth() throws IOException {
        if (betterAuth == null) {
            betterAuth = BetterAuthServer.start(home, work);
            started.push(betterAuth);
        }
        return betterAuth;
    }

    LoadGenerator load() {
        if (load == null) {
            load = new LoadGenerator();
            started.push(load);
        }
        return load;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("stopping a benchmark process failed: " + e);
            }
        }
    }
}
