package io.streamops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.registry.CompatibilityLevel;
import io.streamops.schemas.registry.RegistryChange;
import io.streamops.schemas.registry.RegistryChange.CompatibilitySet;
import io.streamops.schemas.registry.RegistryChange.SchemaAdded;
import io.streamops.schemas.registry.SchemaRegistryException;
import io.streamops.schemas.topics.TopicView;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's log on a compacted single-partition Kafka topic, in the JSON layout of Confluent's
 * {@code _schemas} topic: keys name the subject and version (or the config), values hold the schema
 * (or the level). A reader thread applies every record in order; {@link #append} returns once its
 * own record has been applied, so a client reads its own writes.
 */
final class KafkaSchemaLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final Consumer<RegistryChange> sink;
    private final TopicView<String> view;

    KafkaSchemaLog(KafkaClients kafka, String topic, Consumer<RegistryChange> sink) {
        this.topic = topic;
        this.sink = sink;
        createTopic(kafka, topic);
        this.producer = kafka.producer(
                "streamops-registry-writer",
                Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(),
                new StringSerializer());
        this.view = new TopicView<>(kafka, topic, new StringDeserializer(), new StringDeserializer(), this::parse);
        LOG.info("Schema registry log {} replayed", topic);
    }

    /** Writes a change and waits until the reader has applied it. */
    void append(RegistryChange change) {
        ObjectNode key = JSON.createObjectNode();
        ObjectNode value = JSON.createObjectNode();
        if (change instanceof SchemaAdded added) {
            key.put("keytype", "SCHEMA")
                    .put("subject", added.subject())
                    .put("version", added.version())
                    .put("magic", 1);
            value.put("subject", added.subject())
                    .put("version", added.version())
                    .put("id", added.id())
                    .put("schema", added.schema())
                    .put("deleted", false);
        } else if (change instanceof CompatibilitySet set) {
            key.put("keytype", "CONFIG").put("subject", set.subject()).put("magic", 0);
            value.put("compatibilityLevel", set.level().name());
        }
        try {
            view.writeAndAwait(
                    producer, new ProducerRecord<>(topic, 0, key.toString(), value.toString()), Duration.ofSeconds(30));
        } catch (IllegalStateException e) {
            throw new SchemaRegistryException(
                    500, SchemaRegistryException.STORE_ERROR, "cannot write to " + topic + ": " + e.getMessage(), e);
        }
    }

    private void parse(ConsumerRecord<String, String> record) {
        try {
            JsonNode key = JSON.readTree(record.key());
            if (record.value() == null) {
                return;
            }
            JsonNode value = JSON.readTree(record.value());
            switch (key.path("keytype").asText()) {
                case "SCHEMA" -> {
                    if (!value.path("deleted").asBoolean(false)) {
                        sink.accept(new SchemaAdded(
                                value.get("subject").asText(),
                                value.get("version").asInt(),
                                value.get("id").asInt(),
                                value.get("schema").asText()));
                    }
                }
                case "CONFIG" -> {
                    JsonNode subject = key.get("subject");
                    sink.accept(new CompatibilitySet(
                            subject == null || subject.isNull() ? null : subject.asText(),
                            CompatibilityLevel.parse(
                                    value.get("compatibilityLevel").asText())));
                }
                default ->
                    LOG.debug(
                            "Skipping registry log record of key type {}",
                            key.path("keytype").asText());
            }
        } catch (IOException | RuntimeException e) {
            // One unreadable record must not stop the registry: it is skipped and logged.
            LOG.warn("Skipping unreadable registry log record at offset {}: {}", record.offset(), e.toString());
        }
    }

    private static void createTopic(KafkaClients kafka, String topic) {
        try (Admin admin = kafka.admin("streamops-registry-admin")) {
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            NewTopic newTopic = new NewTopic(topic, 1, (short) -1)
                    .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));
            admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create registry topic " + topic + ": " + e.getCause(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + kafka + " to create " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        view.close();
        producer.close(Duration.ofSeconds(5));
    }
}
