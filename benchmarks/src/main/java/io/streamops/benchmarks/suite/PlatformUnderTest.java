package io.streamops.benchmarks.suite;

import io.streamops.broker.EmbeddedKafkaBroker;
import io.streamops.gateway.keys.MasterKey;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole local platform as {@code ./streamops up} runs it (broker, registry, Kafka Streams
 * operators, Flink MiniCluster, gateway), in a JVM of its own, with a route to the benchmark
 * upstream: {@code /app/} needs a JWT, {@code /open/} does not. More gateway instances can join it
 * ({@link #startGateway}), sharing its secrets as a deployment's instances do.
 */
final class PlatformUnderTest implements AutoCloseable {

    static final String READY = "streamops is READY";

    private final Path home;
    private final Path work;
    private final Map<String, String> env;
    private final int kafkaPort;
    private final int registryPort;
    private final int gatewayPort;
    private final int upstreamPort;
    private final ChildProcess process;
    private final List<ChildProcess> instances = new ArrayList<>();

    private PlatformUnderTest(
            Path home,
            Path work,
            Map<String, String> env,
            int kafkaPort,
            int registryPort,
            int gatewayPort,
            int upstreamPort,
            ChildProcess process) {
        this.home = home;
        this.work = work;
        this.env = env;
        this.kafkaPort = kafkaPort;
        this.registryPort = registryPort;
        this.gatewayPort = gatewayPort;
        this.upstreamPort = upstreamPort;
        this.process = process;
    }

    /**
     * Starts the platform. The rate-limit policy allows 2 requests per minute per address and the
     * gateway trusts X-Forwarded-For, so that the decision-latency part can trip a limit per
     * simulated client address in a few requests.
     */
    static PlatformUnderTest start(Path home, Path work, int upstreamPort) throws IOException {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Map<String, String> env = Map.of(
                "STREAMOPS_GATEWAY_AUTH_SECRET", Base64.getEncoder().encodeToString(secret),
                "STREAMOPS_GATEWAY_AUTH_MASTER_KEY", MasterKey.generateBase64());
        int kafkaPort = EmbeddedKafkaBroker.freePort();
        int registryPort = EmbeddedKafkaBroker.freePort();
        int gatewayPort = EmbeddedKafkaBroker.freePort();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("streamops.kafka.port", Integer.toString(kafkaPort));
        settings.put("streamops.kafka.controller.port", Integer.toString(EmbeddedKafkaBroker.freePort()));
        settings.put("streamops.registry.port", Integer.toString(registryPort));
        settings.put("streamops.flink.port", Integer.toString(EmbeddedKafkaBroker.freePort()));
        settings.put("streamops.gateway.port", Integer.toString(gatewayPort));
        settings.put("streamops.gateway.route.app.prefix", "/app/");
        settings.put("streamops.gateway.route.app.upstreams", "127.0.0.1:" + upstreamPort);
        settings.put("streamops.gateway.route.app.auth", "true");
        settings.put("streamops.gateway.route.open.prefix", "/open/");
        settings.put("streamops.gateway.route.open.upstreams", "127.0.0.1:" + upstreamPort);
        settings.put("streamops.gateway.trust.forwarded", "true");
        Path policy = Files.createDirectories(work).resolve("ratelimit.yaml");
        Files.writeString(policy, """
                domain: bench
                descriptors:
                  - key: remote_address
                    rate_limit: {unit: minute, requests_per_unit: 2}
                """);
        settings.put("streamops.ratelimit.policy.file", policy.toAbsolutePath().toString());
        Path dataDir = work.resolve("platform");
        ChildProcess process = ChildProcess.start(
                "platform", command(home, dataDir, null, settings), env, work.resolve("logs/platform.log"), READY);
        try {
            process.awaitLine(Duration.ofMinutes(4));
            process.awaitQuiet(Duration.ofMinutes(2));
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
        return new PlatformUnderTest(home, work, env, kafkaPort, registryPort, gatewayPort, upstreamPort, process);
    }

    /** Another gateway instance on the platform's Kafka and registry; returns its port. */
    int startGateway(String id, Map<String, String> extra) throws IOException {
        return start(id, "gateway", extra).port();
    }

    /** A process of the platform's own (some of its components) that the caller may stop before the platform. */
    record Instance(int port, ChildProcess process) implements AutoCloseable {
        @Override
        public void close() {
            process.close();
        }
    }

    /**
     * Another process running {@code only} (gateway, topologies ...) on the platform's Kafka and
     * registry, with its secrets; a gateway gets a port of its own and the open route.
     */
    Instance start(String id, String only, Map<String, String> extra) throws IOException {
        int port = EmbeddedKafkaBroker.freePort();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("streamops.kafka.bootstrap", bootstrap());
        settings.put("streamops.registry.url", "http://127.0.0.1:" + registryPort);
        settings.put("streamops.gateway.id", id);
        settings.put("streamops.gateway.port", Integer.toString(port));
        settings.put("streamops.gateway.route.open.prefix", "/open/");
        settings.put("streamops.gateway.route.open.upstreams", "127.0.0.1:" + upstreamPort);
        settings.putAll(extra);
        ChildProcess instance = ChildProcess.start(
                id, command(home, work.resolve(id), only, settings), env, work.resolve("logs/" + id + ".log"), READY);
        instances.add(instance);
        instance.awaitLine(Duration.ofMinutes(2));
        return new Instance(port, instance);
    }

    private static List<String> command(Path home, Path dataDir, String only, Map<String, String> settings)
            throws IOException {
        Path platform = home.resolve("platform/target");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g",
                "-Dstreamops.home=" + home.toAbsolutePath(),
                "-cp",
                platform.resolve("streamops-platform-0.1.0-SNAPSHOT.jar")
                        + File.pathSeparator
                        + Files.readString(platform.resolve("launcher.classpath"))
                                .trim(),
                "io.streamops.platform.Main",
                "up",
                "--data-dir",
                dataDir.toAbsolutePath().toString()));
        if (only != null) {
            command.addAll(List.of("--only", only));
        }
        settings.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        return command;
    }

    String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    int gatewayPort() {
        return gatewayPort;
    }

    @Override
    public void close() {
        instances.forEach(ChildProcess::close);
        process.close();
    }
}
