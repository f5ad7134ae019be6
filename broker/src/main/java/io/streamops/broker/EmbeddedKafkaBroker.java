package io.streamops.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft combined mode (broker and controller in one process),
 * from the Maven Central jars alone. Its storage lives under a data directory: started again on the
 * same directory, it keeps its topics, offsets and transactions.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /**
     * @param port client port; 0 picks a free one
     * @param controllerPort KRaft controller port; 0 picks a free one
     * @param overrides broker properties that replace the defaults
     */
    public record Config(Path dataDir, String host, int port, int controllerPort, Map<String, String> overrides) {
        public static Config ephemeral(Path dataDir) {
            return new Config(dataDir, "127.0.0.1", 0, 0, Map.of());
        }
    }

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats the storage if it is new, starts the broker and waits until it serves clients. */
    public static EmbeddedKafkaBroker start(Config config) {
        int port = config.port() == 0 ? freePort() : config.port();
        int controllerPort = config.controllerPort() == 0 ? freePort() : config.controllerPort();
        Path logDir = config.dataDir().resolve("kafka-logs").toAbsolutePath();
        Properties props = properties(config.host(), port, controllerPort, logDir);
        config.overrides().forEach(props::setProperty);
        try {
            Files.createDirectories(logDir);
            Path propsFile = config.dataDir().resolve("server.properties");
            try (Writer out = Files.newBufferedWriter(propsFile)) {
                props.store(out, "written by streamops at each start");
            }
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(propsFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare broker storage under " + config.dataDir(), e);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();
        String bootstrap = config.host() + ":" + port;
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, bootstrap);
        try {
            broker.awaitReady(Duration.ofSeconds(90));
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        LOG.info(
                "Kafka broker ready on {} (data in {})",
                bootstrap,
                config.dataDir().toAbsolutePath());
        return broker;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }

    static Properties properties(String host, int port, int controllerPort, Path logDir) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.quorum.bootstrap.servers", host + ":" + controllerPort);
        p.put("log.dirs", logDir.toString());
        // One node: internal topics cannot have more replicas than that.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "10");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "10");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics come from the topic registry, never from a typo in a client.
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    private static void format(Path propsFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {"format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString(), "--standalone"};
        int exit;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(args, out);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting broker storage failed (" + exit + "): " + output);
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (Admin admin = Admin.create(conf)) {
            while (true) {
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(5, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted waiting for the broker", e);
                    }
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException(
                                "broker on " + bootstrapServers + " not ready after " + timeout, e);
                    }
                }
            }
        }
    }

    /** A port free at the time of asking. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
