package io.streamops.benchmarks.suite;

import io.streamops.broker.EmbeddedKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The reference Better-Auth server (benchmarks/node), installed by benchmarks/run. */
final class BetterAuthServer implements AutoCloseable {

    private final ChildProcess process;
    private final int port;

    private BetterAuthServer(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static BetterAuthServer start(Path home, Path work) throws IOException {
        Path script = home.resolve("benchmarks/node/reference-server.mjs");
        if (!Files.isDirectory(home.resolve("benchmarks/node/node_modules/better-auth"))) {
            throw new IllegalStateException(
                    "better-auth is not installed: run benchmarks/run, which installs it with npm");
        }
        int port = EmbeddedKafkaBroker.freePort();
        ChildProcess process = ChildProcess.start(
                "better-auth",
                List.of("node", script.toString(), Integer.toString(port)),
                Map.of("NODE_ENV", "production"),
                work.resolve("logs/better-auth.log"),
                "BETTER-AUTH-READY");
        try {
            process.awaitLine(Duration.ofMinutes(1));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return new BetterAuthServer(process, port);
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.close();
    }
}
