package io.streamops.registry;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamops.broker.EmbeddedKafkaBroker;
import io.streamops.events.RequestEvent;
import io.streamops.schemas.registry.CompatibilityLevel;
import io.streamops.schemas.registry.RestSchemaRegistryClient;
import io.streamops.schemas.registry.SchemaRegistryException;
import io.streamops.schemas.serde.KafkaAvroSerde;
import io.streamops.schemas.serde.WireFormat;
import io.streamops.schemas.testing.TestEvents;
import io.streamops.schemas.wait.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryServerIT {

    @TempDir
    static Path dataDir;

    static EmbeddedKafkaBroker broker;
    static RegistryServer server;
    static RestSchemaRegistryClient client;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Config.ephemeral(dataDir));
        server = RegistryServer.start(RegistryServer.Config.defaults(broker.clients(), 0));
        client = new RestSchemaRegistryClient(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
        broker.close();
    }

    @Test
    void aRecordRoundTripsThroughKafkaInTheConfluentWireFormat() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("it-requests", 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        KafkaAvroSerde<RequestEvent> serde = new KafkaAvroSerde<>(client, RequestEvent.class, false, true);
        RequestEvent sent =
                TestEvents.request("rt-1", BEGINNING).setPrincipal("alice").build();

        try (KafkaProducer<String, RequestEvent> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()), new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>("it-requests", "alice", sent)).get(30, TimeUnit.SECONDS);
        }
        ConsumerRecord<String, byte[]> raw;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        broker.bootstrapServers(),
                        "group.id",
                        "rt",
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of("it-requests"));
            raw = pollOne(consumer);
        }

        int id = WireFormat.schemaId(raw.value());
        assertThat(client.getLatest("it-requests-value").id()).isEqualTo(id);
        assertThat(client.getById(id)).isEqualTo(RequestEvent.getClassSchema());
        assertThat(serde.deserializer().deserialize("it-requests", raw.value())).isEqualTo(sent);
    }

    @Test
    void anIncompatibleChangeIsRejectedWith409() throws Exception {
        Schema v1 = item("{\"name\":\"id\",\"type\":\"string\"}");
        Schema addsRequiredField = item("{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"qty\",\"type\":\"int\"}");
        client.register("items-value", v1);

        assertThat(client.isCompatible("items-value", addsRequiredField)).isFalse();
        assertThatThrownBy(() -> client.register("items-value", addsRequiredField))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("READER_FIELD_MISSING_DEFAULT");
                });

        HttpResponse<String> raw =
                post("/subjects/items-value/versions", "{\"schema\":" + quote(addsRequiredField.toString()) + "}");
        assertThat(raw.statusCode()).isEqualTo(409);
        assertThat(raw.body()).contains("\"error_code\":409");
        assertThat(client.versions("items-value")).containsExactly(1);
    }

    @Test
    void compatibleVersionsGetNewVersionsAndStableIds() {
        Schema v1 = item("{\"name\":\"sku\",\"type\":\"string\"}");
        Schema v2 = item(
                "{\"name\":\"sku\",\"type\":\"string\"},{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}");

        int id1 = client.register("skus-value", v1);
        int id2 = client.register("skus-value", v2);

        assertThat(client.register("skus-value", v1)).isEqualTo(id1);
        assertThat(client.versions("skus-value")).containsExactly(1, 2);
        assertThat(client.getVersion("skus-value", 1).id()).isEqualTo(id1);
        assertThat(client.getLatest("skus-value").id()).isEqualTo(id2);
        assertThat(client.lookup("skus-value", v2))
                .hasValueSatisfying(r -> assertThat(r.version()).isEqualTo(2));
        assertThat(client.subjects()).contains("skus-value");
    }

    @Test
    void compatibilityLevelsAreConfigurablePerSubject() {
        Schema v1 = item("{\"name\":\"a\",\"type\":\"string\"}");
        Schema unrelated = item("{\"name\":\"b\",\"type\":\"int\"}");
        client.register("free-value", v1);

        client.setCompatibility("free-value", CompatibilityLevel.NONE);

        assertThat(client.compatibility("free-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(client.compatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(client.register("free-value", unrelated)).isPositive();
    }

    @Test
    void stateSurvivesARestartBecauseItLivesInTheTopic() {
        Schema kept = item("{\"name\":\"kept\",\"type\":\"string\"}");
        int id = client.register("kept-value", kept);

        try (RegistryServer second = RegistryServer.start(RegistryServer.Config.defaults(broker.clients(), 0))) {
            RestSchemaRegistryClient other = new RestSchemaRegistryClient(second.url());
            assertThat(other.getLatest("kept-value").id()).isEqualTo(id);
            assertThat(other.getById(id)).isEqualTo(kept);
        }
    }

    @Test
    void badRequestsGetAClearReason() throws Exception {
        HttpResponse<String> notJson = post("/subjects/x-value/versions", "{nope");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("not valid JSON");

        HttpResponse<String> badSchema =
                post("/subjects/x-value/versions", "{\"schema\":\"{\\\"type\\\":\\\"nope\\\"}\"}");
        assertThat(badSchema.statusCode()).isEqualTo(422);
        assertThat(badSchema.body()).contains("\"error_code\":42201");

        assertThatThrownBy(() -> client.getLatest("never-registered"))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> client.getById(9999))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40403));
    }

    private static ConsumerRecord<String, byte[]> pollOne(KafkaConsumer<String, byte[]> consumer) {
        return Poll.value("a record", Duration.ofSeconds(30), () -> {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                return record;
            }
            return null;
        });
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + path))
                                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static Schema item(String fields) {
        return new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"Item\",\"namespace\":\"it\",\"fields\":[" + fields + "]}");
    }
}
