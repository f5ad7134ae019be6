package io.streamops.platform;

import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.registry.CachedSchemaRegistryClient;
import io.streamops.schemas.registry.RestSchemaRegistryClient;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.Topics;
import io.streamops.topologies.runtime.StreamsOperator;
import io.streamops.topologies.runtime.StreamsOperators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        subcommands = {Main.Up.class, Main.TopicsCommand.class, Main.WhyCommand.class, Main.ReplayCommand.class})
public final class Main {

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
            return dataDir == null ? settings : settings.with(Map.of("streamops.data.dir", dataDir.toString()));
        }
    }

    @Command(name = "up", description = "Run the platform on this machine until Ctrl-C.")
    static final class Up implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigOptions options = new ConfigOptions();

        @Option(names = "--demo", description = "Also run a demo upstream, traffic and logs, and print decisions.")
        boolean demo;

        @Option(names = "--only", description = "Comma-separated components: broker,registry,topologies,flink,gateway.")
        String only;

        @Override
        public Integer call() throws Exception {
            Settings settings = options.load();
            PlatformConfig config = PlatformConfig.from(settings, only, demo);
            Path home = Path.of(System.getProperty("streamops.home", "."))
                    .toAbsolutePath()
                    .normalize();
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
            String registryUrl = settings.string("streamops.registry.url", "http://127.0.0.1:8081");
            List<String> answers = DecisionTail.why(
                    settings.string("streamops.kafka.bootstrap", "127.0.0.1:9092"),
                    TopicNaming.from(settings).resolve(topic),
                    key,
                    new CachedSchemaRegistryClient(new RestSchemaRegistryClient(registryUrl)));
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

        @CommandLine.Parameters(paramLabel = "OPERATOR", description = "A Kafka Streams operator, e.g. request-rate.")
        String operator;

        @Option(names = "--timeout", description = "How long the replay may take to catch up (default: 10m).")
        String timeout = "10m";

        @Override
        public Integer call() throws Exception {
            Settings settings = options.load();
            StreamsOperator op = StreamsOperators.ALL.stream()
                    .filter(o -> o.name().equals(operator))
                    .findFirst()
                    .orElseThrow(() -> new ConfigException("no operator '" + operator + "'; operators are "
                            + StreamsOperators.ALL.stream()
                                    .map(StreamsOperator::name)
                                    .toList()));
            String bootstrap = settings.string("streamops.kafka.bootstrap", "127.0.0.1:9092");
            String registryUrl = settings.string("streamops.registry.url", "http://127.0.0.1:8081");
            Path dataDir = Path.of(settings.string("streamops.data.dir", "data"));
            Replay.Report report = Replay.run(
                    op,
                    settings,
                    bootstrap,
                    new CachedSchemaRegistryClient(new RestSchemaRegistryClient(registryUrl)),
                    TopicNaming.from(settings),
                    dataDir.resolve("replay"),
                    Settings.of(Map.of("t", timeout)).duration("t", Duration.ofMinutes(10)));
            System.out.print(report.describe());
            return 0;
        }
    }

    @Command(name = "topics", description = "List the topic registry.")
    static final class TopicsCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.printf(
                    "%-32s %-22s %-5s %-8s %-10s %s%n", "topic", "value", "parts", "cleanup", "retention", "what");
            for (Topic<?, ?> t : Topics.ALL) {
                System.out.printf(
                        "%-32s %-22s %-5d %-8s %-10s %s%n",
                        t.name(),
                        t.value().type().getSimpleName(),
                        t.partitions(),
                        t.cleanup().configValue(),
                        t.retention() == null ? "forever" : t.retention().toDays() + "d",
                        t.description());
            }
            return 0;
        }
    }
}
