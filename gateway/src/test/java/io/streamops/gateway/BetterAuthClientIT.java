package io.streamops.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamops.broker.EmbeddedKafkaBroker;
import io.streamops.gateway.keys.MasterKey;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.workflow.Workflows;
import io.streamops.testkit.TestStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Better-Auth's own TypeScript client, unchanged, against the gateway: sign-up, sign-in,
 * get-session, token, JWKS (verifying the token with jose), sign-out, get-session after sign-out.
 * Needs Node.js and npm (the client is installed from the npm registry into target/).
 */
class BetterAuthClientIT {

    static final TestStack STACK = TestStack.shared();

    @Test
    void betterAuthsClientWorksAgainstTheGatewayUnchanged() throws Exception {
        assumeTrue(available("node") && available("npm"), "Node.js and npm are needed for this test");
        Path work = Path.of("target/better-auth-client");
        Files.createDirectories(work);
        for (String file : List.of("package.json", "client-check.mjs")) {
            Files.copy(Path.of("src/test/node", file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(work.resolve("node_modules/better-auth"))) {
            assertThat(run(work, 300, "npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
                            .exit())
                    .isZero();
        }
        TopicNaming naming = new TopicNaming("ba-client-it.", Map.of());
        STACK.createTopics(naming.resolveAll(Workflows.topics()));
        int port = EmbeddedKafkaBroker.freePort();
        String base = "http://127.0.0.1:" + port;
        Settings settings = Settings.of(Map.of(
                "streamops.gateway.port",
                Integer.toString(port),
                "streamops.gateway.auth.secret",
                "client-it-secret-0123456789abcdef0123",
                "streamops.gateway.auth.master.key",
                MasterKey.generateBase64(),
                "streamops.gateway.auth.base.url",
                base));
        try (Gateway gateway = Gateway.start(settings, STACK.kafka(), STACK.registry(), naming)) {
            Result check = run(work, 120, "node", "client-check.mjs", base);

            assertThat(check.output()).contains("\"step\":\"done\",\"ok\":true");
            assertThat(check.exit()).as(check.output()).isZero();
        }
    }

    record Result(int exit, String output) {}

    static Result run(Path dir, int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static boolean available(String tool) {
        try {
            return new ProcessBuilder(tool, "--version").start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
