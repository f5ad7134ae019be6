package io.streamops.platform;

import io.streamops.broker.EmbeddedKafkaBroker;
import io.streamops.gateway.Gateway;
import io.streamops.gateway.GatewayConfig;
import io.streamops.platform.PlatformConfig.Component;
import io.streamops.platform.actuator.ActuatorContext;
import io.streamops.platform.actuator.ActuatorFactory;
import io.streamops.platform.actuator.ActuatorRunner;
import io.streamops.platform.actuator.Actuators;
import io.streamops.platform.cache.ChangeCapture;
import io.streamops.platform.demo.DemoProducts;
import io.streamops.platform.demo.DemoUpstream;
import io.streamops.platform.demo.DemoViews;
import io.streamops.platform.demo.LogGenerator;
import io.streamops.platform.demo.TrafficGenerator;
import io.streamops.platform.ratelimit.PolicyPublisher;
import io.streamops.registry.RegistryServer;
import io.streamops.schemas.SchemaCatalog;
import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.FlinkKeys;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.registry.CachedSchemaRegistryClient;
import io.streamops.schemas.registry.RegistryClients;
import io.streamops.schemas.registry.RestSchemaRegistryClient;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicAdmin;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.Topics;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.schemas.workflow.Workflows;
import io.streamops.topologies.runtime.StreamsOperator;
import io.streamops.topologies.runtime.StreamsOperators;
import io.streamops.topologies.runtime.StreamsRunner;
import io.streamops.workflows.batching.BatchingWorkflow;
import io.streamops.workflows.cache.CacheWorkflow;
import io.streamops.workflows.cache.CaptureKeys;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import io.streamops.workflows.ratelimit.policy.RulesException;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole stack on one machine, in dependency order: broker, topics, registry and schemas, then
 * what the workflows declare (Kafka Streams operators, Flink jobs, actuators), the gateway with
 * every extension on the classpath, and with --demo a demo upstream, traffic and logs. Closing stops
 * everything in reverse order.
 */
public final class Platform implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
    /** The PostgreSQL server on this machine (trust auth), where the demo keeps its products. */
    private static final String DEMO_DATABASE = "jdbc:postgresql://127.0.0.1:5432/postgres";

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
        DemoProducts demoProducts = null;
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        TopicNaming naming = TopicNaming.from(settings);

        KafkaClients kafka;
        if (config.runs(Component.BROKER)) {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(new EmbeddedKafkaBroker.Config(
                    dataDir.resolve("kafka"),
                    "127.0.0.1",
                    config.kafkaPort(),
                    config.controllerPort(),
                    Map.of(),
                    Map.of()));
            running.push(broker);
            kafka = broker.clients();
            endpoints.put(
                    "Kafka broker",
                    kafka.bootstrapServers() + "  (embedded KRaft, data in " + dataDir.resolve("kafka") + ")");
        } else {
            kafka = KafkaClients.from(settings);
            endpoints.put("Kafka", kafka + "  (external)");
        }
        List<Topic<?, ?>> topics = naming.resolveAll(Workflows.topics());
        try (Admin admin = kafka.admin("streamops-platform-topics")) {
            List<String> created = TopicAdmin.createMissing(admin, topics, config.replicationFactor());
            LOG.info("Topics: {} declared, created now: {}", topics.size(), created);
        }

        String registryUrl = config.externalRegistry().orElse(null);
        if (config.runs(Component.REGISTRY)) {
            RegistryServer registry =
                    RegistryServer.start(RegistryServer.Config.defaults(kafka, config.registryPort()));
            running.push(registry);
            registryUrl = registry.url();
        }
        SchemaRegistryClient registry = new CachedSchemaRegistryClient(new RestSchemaRegistryClient(registryUrl));
        SchemaCatalog.subjects(naming).forEach(registry::register);
        endpoints.put(
                "Schema registry",
                registryUrl + "  (" + registry.subjects().size() + " subjects"
                        + (config.runs(Component.REGISTRY) ? ", embedded" : ", external") + ")");

        Map<String, String> where = new LinkedHashMap<>(kafka.asSettings());
        where.put(RegistryClients.URL.name(), registryUrl);
        Settings resolved = settings.with(where);
        TopicBinder binder = TopicBinder.of(registry, true, naming);
        if (config.demo()) {
            // The demo enforces its limits, so that its noisy client meets them.
            Map<String, String> demo = new LinkedHashMap<>();
            if (!settings.asMap().containsKey(RateLimitWorkflow.MODE.name())) {
                demo.put(RateLimitWorkflow.MODE.name(), "enforce");
            }
            demoProducts = startDemoProducts(settings, demo, dataDir);
            resolved = resolved.with(demo);
        }
        applyRateLimitPolicy(settings, config.demo(), kafka, binder);

        if (config.runs(Component.TOPOLOGIES)) {
            startTopologies(resolved, dataDir, binder, registry);
        }
        if (config.runs(Component.FLINK)) {
            startFlink(config, resolved, home, dataDir);
        }
        if (config.runs(Component.ACTUATORS)) {
            startActuators(resolved, dataDir, kafka, binder);
        }
        if (resolved.get(CaptureKeys.ENABLED)) {
            startChangeCapture(resolved, dataDir, kafka, binder);
        }

        Vertx demoVertx = null;
        Settings gatewaySettings = resolved;
        if (config.demo()) {
            demoVertx = Vertx.vertx();
            Vertx vertx = demoVertx;
            running.push(() -> vertx.close().await());
            DemoUpstream upstream =
                    DemoUpstream.start(demoVertx, "127.0.0.1", settings.get(PlatformConfig.DEMO_PORT), demoProducts);
            running.push(upstream);
            endpoints.put("Demo upstream", "http://127.0.0.1:" + upstream.port());
            if (settings.names(GatewayConfig.ROUTE_PREFIX).isEmpty()) {
                gatewaySettings = gatewaySettings.with(Map.of(
                        GatewayConfig.ROUTE_PREFIX.forName("demo"), "/",
                        GatewayConfig.ROUTE_UPSTREAMS.forName("demo"), "127.0.0.1:" + upstream.port(),
                        GatewayConfig.TRUST_FORWARDED.name(), "true"));
                if (demoProducts != null) {
                    gatewaySettings = gatewaySettings.with(Map.of(
                            GatewayConfig.ROUTE_PREFIX.forName("products"), "/api/products",
                            GatewayConfig.ROUTE_UPSTREAMS.forName("products"), "127.0.0.1:" + upstream.port(),
                            CacheWorkflow.ROUTE_TTL.forName("products"), "10m"));
                }
            }
        }
        gatewaySettings = LocalSecrets.ensure(gatewaySettings, dataDir);
        GatewayConfig gatewayConfig = GatewayConfig.from(gatewaySettings);
        if (config.runs(Component.GATEWAY)) {
            Gateway gateway = Gateway.start(gatewaySettings, kafka, registry, naming);
            running.push(gateway);
            endpoints.put(
                    "Gateway",
                    "http://" + gatewayConfig.host() + ":" + gateway.port() + "  (routes: "
                            + gatewayConfig.routes().stream()
                                    .map(r -> r.prefix() + " -> " + r.upstreams())
                                    .toList()
                            + ")");
        }

        if (config.demo()) {
            running.push(new DecisionTail(kafka, naming, registry, out));
            running.push(new LogGenerator(kafka, binder.bind(Topics.LOGS), Clock.systemUTC()));
            if (demoProducts != null) {
                running.push(new DemoViews(kafka, binder.bind(BatchingWorkflow.INTENTS), Clock.systemUTC()));
            }
            if (config.runs(Component.GATEWAY)) {
                running.push(new TrafficGenerator(
                        demoVertx,
                        gatewayConfig.host(),
                        gatewayConfig.port(),
                        settings.get(PlatformConfig.DEMO_NOISY_RATE)));
            }
            endpoints.put("Demo", "traffic and logs flowing; decisions print below as they are committed");
        }
    }

    /**
     * The demo's product catalogue in the PostgreSQL server on this machine, behind a cacheable route,
     * with its changes captured (when the server has logical decoding on) and the demo's cache rules;
     * without the server, the demo runs without it.
     */
    private DemoProducts startDemoProducts(Settings settings, Map<String, String> demo, Path dataDir)
            throws IOException {
        DemoProducts products;
        String walLevel;
        try {
            products = DemoProducts.start(DEMO_DATABASE, "postgres", 2_000);
            walLevel = products.walLevel();
        } catch (SQLException e) {
            endpoints.put("Demo products", "off: no PostgreSQL at " + DEMO_DATABASE + " (" + e.getMessage() + ")");
            return null;
        }
        running.push(products);
        if (!settings.asMap().containsKey(CacheWorkflow.RULES_FILE.name())) {
            Path rules = dataDir.resolve("demo-cache-rules.yaml");
            try (var in = Platform.class.getResourceAsStream("/demo/cache-rules.yaml")) {
                Files.write(rules, in.readAllBytes());
            }
            demo.put(CacheWorkflow.RULES_FILE.name(), rules.toString());
        }
        if (!settings.asMap().containsKey(BatchingWorkflow.TABLES.name())) {
            demo.put(BatchingWorkflow.TABLES.name(), DemoViews.TABLE);
        }
        if (!settings.asMap().containsKey(CacheWorkflow.TTL_WINDOW.name())) {
            // The products route's hit rate judged every minute, so that its first decision comes soon.
            demo.put(CacheWorkflow.TTL_WINDOW.name(), "1m");
        }
        if (!walLevel.equals("logical")) {
            endpoints.put(
                    "Demo products",
                    DemoProducts.TABLE + ", cached by TTL only: wal_level is " + walLevel
                            + ", not logical (scripts/setup-postgres.sh sets it)");
        } else if (!settings.asMap().containsKey(CaptureKeys.ENABLED.name())) {
            demo.put(CaptureKeys.ENABLED.name(), "true");
            demo.put(CaptureKeys.TABLES.name(), DemoProducts.TABLE);
            endpoints.put(
                    "Demo products", DemoProducts.TABLE + " (" + DemoProducts.ROWS + " rows, a row changed every 2 s)");
        }
        return products;
    }

    /** The policy file the settings name, or with --demo and none named, the demo's: applied as `ratelimit apply` does. */
    private void applyRateLimitPolicy(Settings settings, boolean demo, KafkaClients kafka, TopicBinder binder)
            throws Exception {
        Optional<String> file = settings.find(RateLimitWorkflow.POLICY_FILE);
        String yaml;
        String source;
        if (file.isPresent()) {
            yaml = Files.readString(Path.of(file.get()));
            source = file.get();
        } else if (demo) {
            try (var in = Platform.class.getResourceAsStream("/demo/ratelimit.yaml")) {
                yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            source = "demo/ratelimit.yaml";
        } else {
            return;
        }
        try {
            PolicyPublisher.Applied applied = PolicyPublisher.apply(yaml, source, kafka, binder, Clock.systemUTC());
            endpoints.put("Rate limits", "policy " + applied.domain() + " v" + applied.version() + " from " + source);
        } catch (RulesException e) {
            throw new ConfigException("rate-limit policy " + source + ", " + e.getMessage());
        }
    }

    private void startTopologies(Settings settings, Path dataDir, TopicBinder binder, SchemaRegistryClient registry) {
        StreamsRunner.Config streams = StreamsRunner.Config.from(settings, dataDir.resolve("streams"));
        List<StreamsRunner> runners = new ArrayList<>();
        for (StreamsOperator operator : StreamsOperators.all()) {
            StreamsRunner runner = new StreamsRunner(operator, streams, binder, settings, registry);
            running.push(runner);
            runner.start();
            runners.add(runner);
        }
        runners.forEach(r -> r.awaitRunning(Duration.ofMinutes(2)));
        endpoints.put(
                "Kafka Streams",
                String.join(", ", runners.stream().map(StreamsRunner::name).toList()) + "  ("
                        + streams.processingGuarantee() + ")");
    }

    private void startFlink(PlatformConfig config, Settings settings, Path home, Path dataDir) throws Exception {
        Map<String, String> flinkSettings = new LinkedHashMap<>(withoutGatewaySettings(settings));
        flinkSettings.put(FlinkKeys.PORT.name(), Integer.toString(config.flinkPort()));
        flinkSettings.put(
                FlinkKeys.DATA_DIR.name(),
                dataDir.resolve("flink").toAbsolutePath().toString());
        if (config.flinkRest().isPresent()) {
            endpoints.put("Flink", submitRemote(config.flinkRest().get(), home, settings));
        } else {
            FlinkProcess flink = FlinkProcess.start(home, dataDir, flinkSettings, Duration.ofMinutes(3));
            running.push(flink);
            endpoints.put(
                    "Flink",
                    flink.restUrl() + "  (MiniCluster in a child JVM, jobs " + jobNames(settings) + "; logs in "
                            + dataDir.resolve("logs") + ")");
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private void startActuators(Settings settings, Path dataDir, KafkaClients kafka, TopicBinder binder)
            throws Exception {
        List<String> names = new ArrayList<>();
        for (ActuatorFactory factory : Actuators.all()) {
            ActuatorRunner<SpecificRecord> runner = new ActuatorRunner<>(
                    factory.applier(),
                    factory.create(new ActuatorContext(settings, dataDir, Clock.systemUTC(), kafka, binder)),
                    kafka,
                    binder,
                    "streamops-",
                    Clock.systemUTC());
            running.push(runner);
            names.add(runner.name());
        }
        endpoints.put("Actuators", String.join(", ", names));
    }

    /** Workflow 2's database change stream (streamops.cache.capture.enabled): PostgreSQL row changes to db-changes. */
    private void startChangeCapture(Settings settings, Path dataDir, KafkaClients kafka, TopicBinder binder)
            throws Exception {
        ChangeCapture capture =
                ChangeCapture.start(ChangeCapture.Config.from(settings, dataDir), kafka, binder, Clock.systemUTC());
        running.push(capture);
        endpoints.put("Change capture", capture.describe());
    }

    /** The Flink jobs to run: those {@code streamops.flink.jobs} names, or every workflow's. */
    static List<String> jobNames(Settings settings) {
        List<String> named = settings.get(FlinkKeys.JOBS);
        return named.isEmpty()
                ? Workflows.operators(Workflow.Engine.FLINK).stream()
                        .map(Workflow.Operator::name)
                        .toList()
                : named;
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
        for (String job : jobNames(settings)) {
            List<String> args = new ArrayList<>(List.of(FlinkKeys.JOB.name() + "=" + job));
            withoutGatewaySettings(settings).forEach((k, v) -> {
                if (k.startsWith(Settings.PREFIX) && !k.equals(FlinkKeys.JOB.name())) {
                    args.add(k + "=" + v);
                }
            });
            submitted.add(job + "=" + submitter.run(jarId, "io.streamops.jobs.JobsMain", args));
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
