package io.streamops.platform;

import io.streamops.broker.EmbeddedKafkaBroker;
import io.streamops.gateway.Gateway;
import io.streamops.gateway.GatewayConfig;
import io.streamops.platform.PlatformConfig.Component;
import io.streamops.platform.demo.DemoUpstream;
import io.streamops.platform.demo.LogGenerator;
import io.streamops.platform.demo.TrafficGenerator;
import io.streamops.registry.RegistryServer;
import io.streamops.schemas.SchemaCatalog;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.registry.CachedSchemaRegistryClient;
import io.streamops.schemas.registry.RestSchemaRegistryClient;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicAdmin;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.Topics;
import io.streamops.topologies.runtime.StreamsOperator;
import io.streamops.topologies.runtime.StreamsOperators;
import io.streamops.topologies.runtime.StreamsRunner;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole stack on one machine, in dependency order: broker, topics, registry and schemas,
 * Kafka Streams operators, Flink jobs, gateway, and with --demo a demo upstream, traffic and logs.
 * Closing stops everything in reverse order.
 */
public final class Platform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();

    public Map<String, String> endpoints() {
        return endpoints;
    }

    public static Platform start(PlatformConfig config, Settings settings, Path home, PrintStream out)
            throws Exception {
        Platform platform = new Platform();
        try {
            platform.startAll(config, settings, home, out);
            return platform;
        } catch (Exception | Error e) {
            platform.close();
            throw e;
        }
    }

    private void startAll(PlatformConfig config, Settings settings, Path home, PrintStream out) throws Exception {
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        TopicNaming naming = TopicNaming.from(settings);

        String bootstrap = config.externalKafka().orElse(null);
        if (config.runs(Component.BROKER)) {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Config(
                    dataDir.resolve("kafka"), "127.0.0.1", config.kafkaPort(), config.controllerPort(), Map.of()));
            running.push(broker);
            bootstrap = broker.bootstrapServers();
            endpoints.put("Kafka broker", bootstrap + "  (embedded KRaft, data in " + dataDir.resolve("kafka") + ")");
        } else {
            endpoints.put("Kafka", bootstrap + "  (external)");
        }
        List<Topic<?, ?>> topics = naming.resolveAll(Topics.ALL);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<String> created = TopicAdmin.createMissing(admin, topics, config.replicationFactor());
            LOG.info("Topics: {} declared, created now: {}", topics.size(), created);
        }

        String registryUrl = config.externalRegistry().orElse(null);
        if (config.runs(Component.REGISTRY)) {
            RegistryServer registry =
                    RegistryServer.start(RegistryServer.Config.defaults(bootstrap, config.registryPort()));
            running.push(registry);
            registryUrl = registry.url();
        }
        SchemaRegistryClient registry = new CachedSchemaRegistryClient(new RestSchemaRegistryClient(registryUrl));
        SchemaCatalog.subjects(naming).forEach(registry::register);
        endpoints.put(
                "Schema registry",
                registryUrl + "  (" + registry.subjects().size() + " subjects"
                        + (config.runs(Component.REGISTRY) ? ", embedded" : ", external") + ")");

        Settings resolved = settings.with(Map.of(
                "streamops.kafka.bootstrap", bootstrap,
                "streamops.registry.url", registryUrl));
        TopicBinder binder = TopicBinder.of(registry, true, naming);

        if (config.runs(Component.TOPOLOGIES)) {
            StreamsRunner.Config streams = StreamsRunner.Config.from(resolved, dataDir.resolve("streams"));
            List<String> names = new ArrayList<>();
            for (StreamsOperator operator : StreamsOperators.ALL) {
                StreamsRunner runner = new StreamsRunner(operator, streams, binder, resolved, registry);
                running.push(runner);
                runner.start();
                names.add(operator.name());
            }
            for (AutoCloseable c : running) {
                if (c instanceof StreamsRunner runner) {
                    runner.awaitRunning(Duration.ofMinutes(2));
                }
            }
            endpoints.put("Kafka Streams", String.join(", ", names) + "  (" + streams.processingGuarantee() + ")");
        }

        if (config.runs(Component.FLINK)) {
            Map<String, String> flinkSettings = new LinkedHashMap<>(withoutGatewaySettings(resolved));
            flinkSettings.put("streamops.flink.port", Integer.toString(config.flinkPort()));
            flinkSettings.put(
                    "streamops.flink.data.dir",
                    dataDir.resolve("flink").toAbsolutePath().toString());
            if (config.flinkRest().isPresent()) {
                endpoints.put("Flink", submitRemote(config.flinkRest().get(), home, resolved));
            } else {
                FlinkProcess flink = FlinkProcess.start(home, dataDir, flinkSettings, Duration.ofMinutes(3));
                running.push(flink);
                endpoints.put(
                        "Flink",
                        flink.restUrl() + "  (MiniCluster in a child JVM; logs in " + dataDir.resolve("logs") + ")");
            }
        }

        Vertx demoVertx = null;
        Settings gatewaySettings = resolved;
        if (config.demo()) {
            demoVertx = Vertx.vertx();
            Vertx vertx = demoVertx;
            running.push(() -> vertx.close().await());
            DemoUpstream upstream =
                    DemoUpstream.start(demoVertx, "127.0.0.1", settings.integer("streamops.demo.port", 8090));
            running.push(upstream);
            endpoints.put("Demo upstream", "http://127.0.0.1:" + upstream.port());
            boolean hasRoutes =
                    resolved.asMap().keySet().stream().anyMatch(k -> k.startsWith("streamops.gateway.route."));
            if (!hasRoutes) {
                gatewaySettings = gatewaySettings.with(Map.of(
                        "streamops.gateway.route.demo.prefix", "/",
                        "streamops.gateway.route.demo.upstreams", "127.0.0.1:" + upstream.port(),
                        "streamops.gateway.trust.forwarded", "true"));
            }
        }
        gatewaySettings = LocalSecrets.ensure(gatewaySettings, dataDir);
        GatewayConfig gatewayConfig = GatewayConfig.from(gatewaySettings);
        if (config.runs(Component.GATEWAY)) {
            Gateway gateway = Gateway.start(gatewayConfig, bootstrap, registry, naming);
            running.push(gateway);
            endpoints.put(
                    "Gateway",
                    "http://" + gatewayConfig.host() + ":" + gateway.port() + "  (routes: "
                            + gatewayConfig.routes().stream()
                                    .map(r -> r.prefix() + " -> " + r.upstreams())
                                    .toList() + ")");
        }

        if (config.demo()) {
            running.push(new DecisionTail(bootstrap, naming.prefix(), registry, out));
            running.push(new LogGenerator(bootstrap, binder.bind(Topics.LOGS), Clock.systemUTC()));
            if (config.runs(Component.GATEWAY)) {
                running.push(new TrafficGenerator(
                        demoVertx,
                        gatewayConfig.host(),
                        gatewayConfig.port(),
                        settings.integer("streamops.demo.noisy.rate", 30)));
            }
            endpoints.put("Demo", "traffic and logs flowing; decisions print below as they are committed");
        }
    }

    private static String submitRemote(String rest, Path home, Settings settings) throws Exception {
        Path jobs = home.resolve("jobs/target");
        Path jar;
        try (var jars = Files.list(jobs)) {
            jar = jars.filter(p -> p.getFileName().toString().endsWith("-flink-job.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no shaded job jar in " + jobs));
        }
        FlinkRestSubmitter submitter = new FlinkRestSubmitter(rest);
        String jarId = submitter.upload(jar);
        List<String> submitted = new ArrayList<>();
        for (String job : settings.string("streamops.flink.jobs", "log-anomaly").split(",")) {
            List<String> args = new ArrayList<>(List.of("streamops.job=" + job.trim()));
            withoutGatewaySettings(settings).forEach((k, v) -> {
                if (k.startsWith("streamops.") && !k.startsWith("streamops.job")) {
                    args.add(k + "=" + v);
                }
            });
            submitted.add(job.trim() + "=" + submitter.run(jarId, "io.streamops.jobs.JobsMain", args));
        }
        return rest + "  (remote cluster; submitted " + submitted + ")";
    }

    /** What the Flink jobs may see: everything but the gateway's settings, which hold its secrets. */
    static Map<String, String> withoutGatewaySettings(Settings settings) {
        Map<String, String> kept = new LinkedHashMap<>(settings.asMap());
        kept.keySet().removeIf(k -> k.startsWith("streamops.gateway."));
        return kept;
    }

    @Override
    public void close() {
        while (!running.isEmpty()) {
            AutoCloseable c = running.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
