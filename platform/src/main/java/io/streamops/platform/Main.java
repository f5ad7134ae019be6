package io.streamops.platform;

import io.streamops.platform.ratelimit.PolicyPublisher;
import io.streamops.schemas.SchemaCatalog;
import io.streamops.schemas.config.ConfigDocs;
import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.ConfigKey;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.registry.CachedSchemaRegistryClient;
import io.streamops.schemas.registry.RegistryClients;
import io.streamops.schemas.registry.RestSchemaRegistryClient;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicDocs;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.TopicRole;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.schemas.workflow.Workflows;
import io.streamops.workflows.ratelimit.policy.RulesException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code streamops} command. */
@Command(
        name = "streamops",
        mixinStandardHelpOptions = true,
        version = "streamops 0.1.0-SNAPSHOT",
        description = "Event-sourced performance and auth pipeline for web platforms.",
        subcommands = {
            Main.Up.class,
            Main.TopicsCommand.class,
            Main.WorkflowsCommand.class,
            Main.WhyCommand.class,
            Main.ReplayCommand.class,
            Main.ConfigCommand.class,
            Main.SchemasCommand.class,
            Main.RateLimitCommand.class
        })
public final class Main {

    static final ConfigKey<String> LOCAL_BOOTSTRAP =
            ConfigKey.string(KafkaClients.BOOTSTRAP.name(), "127.0.0.1:9092", KafkaClients.BOOTSTRAP.doc());
    static final ConfigKey<String> LOCAL_REGISTRY =
            ConfigKey.string(RegistryClients.URL.name(), "http://127.0.0.1:8081", RegistryClients.URL.doc());

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof ConfigException) {
                        cmd.getErr().println("configuration error: " + e.getMessage());
                        return 2;
                    }
                    throw e;
                })
                .execute(args));
    }

    /** Options shared by subcommands that read configuration. */
    static class ConfigOptions {
        @Option(names = "--config", description = "Properties file (default: streamops.properties if present).")
        Path file;

        @Option(
                names = {"-s", "--set"},
                description = "A setting, key=value; wins over file and environment.")
        List<String> sets = new ArrayList<>();

        @Option(names = "--data-dir", description = "Where broker, state and logs live (default: data).")
        Path dataDir;

        Settings load() {
            Path config = file != null
                    ? file
                    : Files.exists(Path.of("streamops.properties")) ? Path.of("streamops.properties") : null;
            Settings settings = Settings.load(config, System.getenv(), sets);
            return dataDir == null
                    ? settings
                    : settings.with(Map.of(PlatformConfig.DATA_DIR.name(), dataDir.toString()));
        }

        /** Clients of the running platform's Kafka (the local one unless configured). */
        KafkaClients kafka(Settings settings) {
            return KafkaClients.from(settings.with(Map.of(LOCAL_BOOTSTRAP.name(), settings.get(LOCAL_BOOTSTRAP))));
        }
    }

    @Command(name = "up", description = "Run the platform on this machine until Ctrl-C.")
    static final class Up implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOptions options = new ConfigOptions();

        @Option(names = "--demo", description = "Also run a demo upstream, traffic and logs, and print decisions.")
        boolean demo;

        @Option(
                names = "--only",
                description = "Comma-separated components: broker,registry,topologies,flink,actuators,gateway.")
        String only;

        @Override
        public Integer call() throws Exception {
            Settings settings = options.load();
            PlatformConfig config = PlatformConfig.from(settings, only, demo);
            Path home = home();
            System.out.println("Starting streamops (" + config.components() + ") ...");
            Platform platform = Platform.start(config, settings, home, System.out);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                System.out.println("Stopping streamops ...");
                                platform.close();
                                stopped.countDown();
                            },
                            "streamops-stop"));
            System.out.println();
            platform.endpoints().forEach((what, where) -> System.out.printf("  %-16s %s%n", what, where));
            System.out.println();
            System.out.println("streamops is READY. Ctrl-C stops it.");
            stopped.await();
            return 0;
        }
    }

    @Command(name = "why", description = "Print the decisions of a decision topic (for one key) with their evidence.")
    static final class WhyCommand implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOptions options = new ConfigOptions();

        @CommandLine.Parameters(
                index = "0",
                paramLabel = "TOPIC",
                description = "A decision topic, e.g. decisions.rate-limits.")
        String topic;

        @CommandLine.Parameters(
                index = "1",
                arity = "0..1",
                paramLabel = "KEY",
                description = "Only decisions about this key.")
        String key;

        @Override
        public Integer call() throws Exception {
            Settings settings = options.load();
            Topic<?, ?> declared = Workflows.topic(topic)
                    .filter(t -> t.role() == TopicRole.DECISION)
                    .orElseThrow(() -> new ConfigException("'" + topic + "' is not a decision topic; they are "
                            + Workflows.topics().stream()
                                    .filter(t -> t.role() == TopicRole.DECISION)
                                    .map(Topic::name)
                                    .toList()));
            List<String> answers = Why.decisions(
                    options.kafka(settings),
                    TopicNaming.from(settings).resolve(declared.name()),
                    key,
                    new CachedSchemaRegistryClient(new RestSchemaRegistryClient(settings.get(LOCAL_REGISTRY))));
            answers.forEach(System.out::println);
            System.out.println(answers.size() + " decision(s)");
            return 0;
        }
    }

    @Command(
            name = "replay",
            description = {
                "Replay an operator's input history through a policy set with --set, into topics of its own,",
                "and compare its decisions with those on record. Needs the platform (or a cluster) running."
            })
    static final class ReplayCommand implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOptions options = new ConfigOptions();

        @CommandLine.Parameters(
                paramLabel = "OPERATOR",
                description =
                        "An operator of a workflow: a Kafka Streams one (request-rate) or a Flink job (log-anomaly).")
        String operator;

        @Option(names = "--timeout", description = "How long the replay may take to catch up (default: 10m).")
        String timeout = "10m";

        @Option(
                names = "--since",
                description = "Replay only the last DURATION of the inputs (such as 1h or 30m), and compare with the "
                        + "decisions on record over it; the whole history by default.")
        String since;

        @Override
        public Integer call() throws Exception {
            Settings settings = options.load();
            Workflow.Operator op = Workflows.operator(operator)
                    .orElseThrow(() -> new ConfigException("no operator '" + operator + "'; operators are "
                            + Workflows.all().stream()
                                    .flatMap(w -> w.operators().stream())
                                    .map(Workflow.Operator::name)
                                    .toList()));
            ConfigKey<Duration> wait = ConfigKey.duration(
                    "streamops.replay.timeout", Duration.ofMinutes(10), "how long a replay may take to catch up");
            ConfigKey<Duration> back =
                    ConfigKey.duration("streamops.replay.since", Duration.ofHours(1), "how far back a replay starts");
            Optional<Instant> from = Optional.ofNullable(since)
                    .map(d -> Clock.systemUTC()
                            .instant()
                            .minus(Settings.of(Map.of(back.name(), d)).get(back)));
            String registryUrl = settings.get(LOCAL_REGISTRY);
            Replay.Report report = Replay.run(
                    op,
                    settings,
                    options.kafka(settings),
                    new CachedSchemaRegistryClient(new RestSchemaRegistryClient(registryUrl)),
                    registryUrl,
                    TopicNaming.from(settings),
                    from,
                    home(),
                    Path.of(settings.get(PlatformConfig.DATA_DIR)).resolve("replay"),
                    Settings.of(Map.of(wait.name(), timeout)).get(wait));
            System.out.print(report.describe());
            return 0;
        }
    }

    @Command(name = "topics", description = "List the topic registry: shared events, then each workflow's topics.")
    static final class TopicsCommand implements Callable<Integer> {
        @Option(names = "--markdown", description = "As the README's table.")
        boolean markdown;

        @Override
        public Integer call() {
            if (markdown) {
                System.out.println(TopicDocs.markdown(Workflows.topics()));
                return 0;
            }
            System.out.printf(
                    "%-32s %-11s %-20s %-5s %-8s %-10s %s%n",
                    "topic", "role", "value", "parts", "cleanup", "retention", "what");
            for (Topic<?, ?> t : Workflows.topics()) {
                System.out.printf(
                        "%-32s %-11s %-20s %-5d %-8s %-10s %s%n",
                        t.name(),
                        t.role().name().toLowerCase(java.util.Locale.ROOT),
                        t.value().type().getSimpleName(),
                        t.partitions(),
                        t.cleanup().configValue(),
                        t.retention() == null ? "forever" : t.retention().toDays() + "d",
                        t.description());
            }
            return 0;
        }
    }

    @Command(name = "workflows", description = "List the workflows: what each decides, its operators and appliers.")
    static final class WorkflowsCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            for (Workflow w : Workflows.all()) {
                System.out.println(w.name() + "  " + w.title() + ": decides " + w.decides());
                w.operators()
                        .forEach(o -> System.out.printf(
                                "    operator  %-16s %-13s reads %s, writes %s%n",
                                o.name(),
                                o.engine().name().toLowerCase(java.util.Locale.ROOT),
                                o.inputs().stream().map(Topic::name).toList(),
                                o.outputs().stream().map(Topic::name).toList()));
                w.appliers()
                        .forEach(a -> System.out.printf(
                                "    applier   %-16s %-13s applies %s%s%n",
                                a.name(),
                                a.where().name().toLowerCase(java.util.Locale.ROOT),
                                a.decisions().name(),
                                a.outcomes()
                                        .map(o -> ", outcomes to " + o.name())
                                        .orElse("")));
            }
            return 0;
        }
    }

    @Command(name = "config", description = "Print the configuration tables (Markdown) from the key declarations.")
    static final class ConfigCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.println(ConfigDocs.markdown(PlatformConfig.groups()));
            return 0;
        }
    }

    @Command(name = "schemas", description = "Schema contracts.", subcommands = SchemasCommand.Release.class)
    static final class SchemasCommand {
        @Command(
                name = "release",
                description = {
                    "Snapshot every current schema into schemas/released/VERSION: from then on the build",
                    "requires every schema to read what this release wrote (BACKWARD)."
                })
        static final class Release implements Callable<Integer> {
            @CommandLine.Parameters(paramLabel = "VERSION", description = "The release, e.g. 0.2.0.")
            String version;

            @Override
            public Integer call() throws Exception {
                if (!version.matches("\\d+\\.\\d+\\.\\d+")) {
                    throw new ConfigException("a release version is major.minor.patch, was '" + version + "'");
                }
                Path dir = home().resolve("schemas/released").resolve(version);
                if (Files.exists(dir)) {
                    throw new ConfigException(dir + " exists: a release is snapshotted once");
                }
                SchemaCatalog.writeSnapshot(dir);
                System.out.println("wrote " + SchemaCatalog.subjects().size() + " subjects to " + dir);
                return 0;
            }
        }
    }

    @Command(name = "ratelimit", description = "Workflow 6's policies.", subcommands = RateLimitCommand.Apply.class)
    static final class RateLimitCommand {
        @Command(
                name = "apply",
                description = {
                    "Check a rate-limit policy (Envoy's rate-limit YAML, plus burst) and put it in force on the",
                    "operator and every gateway, without a restart. A bad file is refused with its line."
                })
        static final class Apply implements Callable<Integer> {
            @CommandLine.Mixin
            ConfigOptions options = new ConfigOptions();

            @CommandLine.Parameters(paramLabel = "FILE", description = "The policy file.")
            Path file;

            @Override
            public Integer call() throws Exception {
                Settings settings = options.load();
                String yaml;
                try {
                    yaml = Files.readString(file);
                } catch (java.io.IOException e) {
                    throw new ConfigException("cannot read " + file + ": " + e.getMessage());
                }
                PolicyPublisher.Applied applied;
                try {
                    applied = PolicyPublisher.apply(
                            yaml,
                            file.getFileName().toString(),
                            options.kafka(settings),
                            TopicBinder.of(
                                    new CachedSchemaRegistryClient(
                                            new RestSchemaRegistryClient(settings.get(LOCAL_REGISTRY))),
                                    true,
                                    TopicNaming.from(settings)),
                            java.time.Clock.systemUTC());
                } catch (RulesException e) {
                    System.err.println(file + ", " + e.getMessage() + "; nothing applied, the running policy stays");
                    return 1;
                }
                System.out.println("applied " + file + ": domain " + applied.domain() + " v" + applied.version());
                return 0;
            }
        }
    }

    static Path home() {
        return Path.of(System.getProperty("streamops.home", "."))
                .toAbsolutePath()
                .normalize();
    }
}
