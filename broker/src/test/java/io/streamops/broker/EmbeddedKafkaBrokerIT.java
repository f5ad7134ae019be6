package io.streamops.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.schemas.wait.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

    @Test
    void keepsTopicsAndRecordsAcrossARestartOnTheSameDataDirectory(@TempDir Path dataDir) throws Exception {
        EmbeddedKafkaBroker.Config config = EmbeddedKafkaBroker.Config.ephemeral(dataDir);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", broker.bootstrapServers(), "enable.idempotence", true),
                    new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "v")).get(30, TimeUnit.SECONDS);
            }
        }

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertThat(names).contains("kept");
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                    Map.of(
                            "bootstrap.servers",
                            broker.bootstrapServers(),
                            "group.id",
                            "it",
                            "auto.offset.reset",
                            "earliest"),
                    new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of("kept"));
                ConsumerRecords<String, String> records =
                        Poll.value("the record written before the restart", Duration.ofSeconds(30), () -> {
                            ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(200));
                            return polled.isEmpty() ? null : polled;
                        });
                assertThat(records.iterator().next().value()).isEqualTo("v");
            }
        }
    }
}
