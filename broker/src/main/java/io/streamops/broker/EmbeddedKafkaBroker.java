package io.streamops.broker;

import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.wait.Poll;
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
import java.util.Collections;
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
     * @param saslUsers when not empty, the client listener is SASL_PLAINTEXT with the PLAIN mechanism
     *     and these users and passwords (as a cluster with authentication would be); the first user is
     *     the broker's own
     * @param overrides broker properties that replace the defaults
     */
    public record Config(
            Path dataDir,
            String host,
            int port,
            int controllerPort,
            Map<String, String> saslUsers,
            Map<String, String> overrides) {
        public Config {
            saslUsers = Collections.unmodifiableMap(new LinkedHashMap<>(saslUsers));
            overrides = Map.copyOf(overrides);
        }

        public static Config ephemeral(Path dataDir) {
            return new Config(dataDir, "127.0.0.1", 0, 0, Map.of(), Map.of());
        }

        /** The same broker with a SASL/PLAIN client listener and these users (the first is the broker's own). */
        public Config withSaslPlain(Map<String, String> users) {
            return new Config(dataDir, host, port, controllerPort, users, overrides);
        }
    }

    private final KafkaRaftServer server;
    private final KafkaClients clients;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, KafkaClients clients) {
        this.server = server;
        this.clients = clients;
    }

    /** Formats the storage if it is new, starts the broker and waits until it serves clients. */
    public static EmbeddedKafkaBroker start(Config config) {
        int port = config.port() == 0 ? freePort() : config.port();
        int controllerPort = config.controllerPort() == 0 ? freePort() : config.controllerPort();
        Path logDir = config.dataDir().resolve("kafka-logs").toAbsolutePath();
        Properties props = properties(config.host(), port, controllerPort, logDir);
        if (!config.saslUsers().isEmpty()) {
            props.putAll(saslPlain(config.host(), port, controllerPort, config.saslUsers()));
        }
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
        KafkaClients clients = KafkaClients.plain(bootstrap);
        if (!config.saslUsers().isEmpty()) {
            Map.Entry<String, String> self =
                    config.saslUsers().entrySet().iterator().next();
            clients = clients.with(KafkaClients.saslPlain(self.getKey(), self.getValue()));
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, clients);
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
        return clients.bootstrapServers();
    }

    /** Clients of this broker: plain, or with the broker's own SASL credentials. */
    public KafkaClients clients() {
        return clients;
    }

    private static Map<String, String> saslPlain(String host, int port, int controllerPort, Map<String, String> users) {
        Map.Entry<String, String> self = users.entrySet().iterator().next();
        StringBuilder jaas =
                new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + self.getKey() + "\" password=\"" + self.getValue() + "\"");
        users.forEach((user, password) -> jaas.append(" user_")
                .append(user)
                .append("=\"")
                .append(password)
                .append('"'));
        jaas.append(';');
        Map<String, String> p = new LinkedHashMap<>();
        p.put("listeners", "SASL_PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "SASL_PLAINTEXT://" + host + ":" + port);
        p.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        p.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("sasl.enabled.mechanisms", "PLAIN");
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.toString());
        return p;
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
        p.put("add.partitions.to.txn.retry.backoff.ms", "1");
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
        Map<String, Object> conf = Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10_000);
        try (Admin admin = Admin.create(clients.with("streamops-broker-ready", conf))) {
            Poll.until("the broker on " + bootstrapServers() + " to serve clients", timeout, () -> {
                try {
                    return !admin.describeCluster()
                            .nodes()
                            .get(5, TimeUnit.SECONDS)
                            .isEmpty();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for the broker", e);
                } catch (Exception notYet) {
                    return false;
                }
            });
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
