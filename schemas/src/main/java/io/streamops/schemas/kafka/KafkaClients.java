package io.streamops.schemas.kafka;

import io.streamops.schemas.config.ConfigKey;
import io.streamops.schemas.config.Settings;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The one place Kafka clients are configured: every producer, consumer, admin client, Kafka Streams
 * application and Flink source and sink of the platform starts from {@link #common()}, the
 * bootstrap servers plus every {@code streamops.kafka.client.<property>} setting. That is where a
 * real cluster's security settings go ({@code security.protocol}, {@code sasl.mechanism}, {@code
 * sasl.jaas.config}, {@code ssl.truststore.location}, ...), once for all parts.
 *
 * <p>Serializable, so that a Flink job carries it to its tasks.
 */
public final class KafkaClients implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final ConfigKey<String> BOOTSTRAP = ConfigKey.string(
                    "streamops.kafka.bootstrap",
                    null,
                    "bootstrap servers of an external Kafka cluster; unset, the platform runs its embedded broker")
            .defaultDoc("(embedded)");
    public static final ConfigKey<String> CLIENT = ConfigKey.passThrough(
            "streamops.kafka.client.<property>",
            "any Kafka client property, given to every producer, consumer, admin client, Kafka Streams app and "
                    + "Flink source and sink: security.protocol, sasl.mechanism, sasl.jaas.config, ssl.* ...");

    private final String bootstrapServers;
    private final Map<String, String> properties;

    private KafkaClients(String bootstrapServers, Map<String, String> properties) {
        this.bootstrapServers = bootstrapServers;
        this.properties = Map.copyOf(properties);
    }

    /** Clients of the cluster {@code streamops.kafka.bootstrap} names, with the pass-through properties. */
    public static KafkaClients from(Settings settings) {
        return new KafkaClients(settings.require(BOOTSTRAP), settings.passedThrough(CLIENT));
    }

    /** Clients of a cluster that needs no further client settings (the embedded broker, a test's). */
    public static KafkaClients plain(String bootstrapServers) {
        return new KafkaClients(bootstrapServers, Map.of());
    }

    /** The client properties of a SASL/PLAIN user over plaintext (tests, and clusters that allow it). */
    public static Map<String, String> saslPlain(String user, String password) {
        return Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
    }

    /** These clients with more client properties (e.g. credentials) on top. */
    public KafkaClients with(Map<String, String> moreProperties) {
        Map<String, String> merged = new TreeMap<>(properties);
        merged.putAll(moreProperties);
        return new KafkaClients(bootstrapServers, merged);
    }

    /** The same client settings, for another cluster address (the same cluster seen from elsewhere). */
    public KafkaClients withBootstrap(String bootstrapServers) {
        return new KafkaClients(bootstrapServers, properties);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Bootstrap servers and the pass-through properties: what every client starts from. */
    public Map<String, Object> common() {
        Map<String, Object> config = new HashMap<>(properties);
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }

    /** {@link #common()} as strings, for the APIs that take those (Flink's builders, Properties). */
    public Properties properties() {
        Properties props = new Properties();
        props.putAll(properties);
        props.setProperty("bootstrap.servers", bootstrapServers);
        return props;
    }

    /** The pass-through properties alone, as settings keys: what a child process must be given. */
    public Map<String, String> asSettings() {
        Map<String, String> settings = new TreeMap<>();
        settings.put(BOOTSTRAP.name(), bootstrapServers);
        properties.forEach((k, v) -> settings.put(CLIENT.forName(k), v));
        return settings;
    }

    public <K, V> KafkaProducer<K, V> producer(
            String clientId, Map<String, Object> config, Serializer<K> keys, Serializer<V> values) {
        return new KafkaProducer<>(with(clientId, config), keys, values);
    }

    public <K, V> KafkaConsumer<K, V> consumer(
            String clientId, Map<String, Object> config, Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(with(clientId, config), keys, values);
    }

    public Admin admin(String clientId) {
        return Admin.create(with(clientId, Map.of()));
    }

    /** {@link #common()} with a client id and the caller's settings on top. */
    public Map<String, Object> with(String clientId, Map<String, Object> config) {
        Map<String, Object> merged = common();
        merged.put("client.id", clientId);
        merged.putAll(config);
        return merged;
    }

    @Override
    public String toString() {
        // Property names only: values hold passwords.
        return bootstrapServers + (properties.isEmpty() ? "" : " " + properties.keySet());
    }
}
