package io.streamops.testkit;

import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.registry.CachedSchemaRegistryClient;
import io.streamops.schemas.registry.RestSchemaRegistryClient;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicAdmin;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * One real Kafka broker and schema registry per test JVM, started on first use and stopped when the
 * JVM exits. In-process by default; a module whose classpath cannot hold the broker (the Flink jobs
 * pin an older kafka-clients) sets {@code streamops.testkit.fork=true} and gets them in a child JVM.
 * Tests must not depend on each other's topics: each creates its own or uses unique keys.
 *
 * <p>The broker takes clients over SASL/PLAIN only, as a cluster with authentication does: a part
 * that builds a Kafka client by hand instead of through {@link KafkaClients} fails every test that
 * uses it.
 */
public final class TestStack {

    /** The SASL/PLAIN users of the test broker: the broker's own, then the one tests connect as. */
    static final Map<String, String> USERS = Map.of("broker", "broker-secret", "streamops", "streamops-secret");

    private static TestStack shared;

    private final KafkaClients kafka;
    private final String registryUrl;
    private final SchemaRegistryClient registry;

    TestStack(String bootstrapServers, String registryUrl) {
        this.kafka = KafkaClients.plain(bootstrapServers).with(clientProperties());
        this.registryUrl = registryUrl;
        this.registry = new CachedSchemaRegistryClient(new RestSchemaRegistryClient(registryUrl));
    }

    /** The users the broker starts with, the broker's own first. */
    static Map<String, String> brokerUsers() {
        Map<String, String> users = new java.util.LinkedHashMap<>();
        users.put("broker", USERS.get("broker"));
        users.put("streamops", USERS.get("streamops"));
        return users;
    }

    /** What a client needs to connect: SASL_PLAINTEXT with the tests' user. */
    static Map<String, String> clientProperties() {
        return KafkaClients.saslPlain("streamops", USERS.get("streamops"));
    }

    /** The stack of this JVM, started now if it is not yet running. */
    public static synchronized TestStack shared() {
        if (shared == null) {
            shared = Boolean.getBoolean("streamops.testkit.fork") ? ForkedStack.start() : InProcessStack.start();
        }
        return shared;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Clients of the stack's broker, credentials included. */
    public KafkaClients kafka() {
        return kafka;
    }

    /**
     * The settings a component reads to reach the stack's broker and registry: {@code
     * streamops.kafka.bootstrap}, the SASL client properties, and {@code streamops.registry.url}.
     */
    public Map<String, String> settings() {
        Map<String, String> settings = new java.util.TreeMap<>(kafka.asSettings());
        settings.put("streamops.registry.url", registryUrl);
        return settings;
    }

    public String registryUrl() {
        return registryUrl;
    }

    /** A cached client of the stack's registry. */
    public SchemaRegistryClient registry() {
        return registry;
    }

    /** Creates the topics that do not exist yet. */
    public void createTopics(Topic<?, ?>... topics) {
        createTopics(Arrays.asList(topics));
    }

    /**
     * Creates the topics that do not exist yet, kept forever: tests write records stamped with
     * fixed instants in the past, which the broker's retention check (30 s after start, then every
     * 5 min) would otherwise delete in the middle of a test.
     */
    public void createTopics(List<? extends Topic<?, ?>> topics) {
        List<Topic<?, ?>> keptForever =
                topics.stream().<Topic<?, ?>>map(Topic::keptForever).toList();
        try (Admin admin = admin()) {
            TopicAdmin.createMissing(admin, keptForever, (short) 1);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot create topics " + topics.stream().map(Topic::name).toList(), e);
        }
    }

    public Admin admin() {
        return kafka.admin("test-admin");
    }
}
