package io.streamops.schemas.serde;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamops.events.RequestEvent;
import io.streamops.schemas.testing.InMemorySchemaRegistry;
import io.streamops.schemas.testing.TestEvents;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class KafkaAvroSerdeTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final KafkaAvroSerde<RequestEvent> serde = new KafkaAvroSerde<>(registry, RequestEvent.class, false, true);
    private final Serializer<RequestEvent> serializer = serde.serializer();
    private final Deserializer<RequestEvent> deserializer = serde.deserializer();

    @Test
    void roundTripsThroughTheConfluentWireFormat() {
        RequestEvent event =
                TestEvents.request("e-1", BEGINNING).setPrincipal("alice").build();

        byte[] bytes = serializer.serialize("requests", event);

        assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC);
        int id = WireFormat.schemaId(bytes);
        assertThat(registry.getLatest("requests-value").id()).isEqualTo(id);
        assertThat(deserializer.deserialize("requests", bytes)).isEqualTo(event);
    }

    @Test
    void registersUnderTheTopicNameStrategySubject() {
        serializer.serialize("requests", TestEvents.request("e-1", BEGINNING).build());

        assertThat(registry.subjects()).containsExactly("requests-value");
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaIsAnError() {
        Serializer<RequestEvent> strict = new KafkaAvroSerde<>(registry, RequestEvent.class, false, false).serializer();

        assertThatThrownBy(() -> strict.serialize(
                        "requests", TestEvents.request("e-1", BEGINNING).build()))
                .hasMessageContaining("not registered under subject requests-value");
    }

    @Test
    void rejectsBytesWithoutTheMagicByte() {
        assertThatThrownBy(() -> deserializer.deserialize("requests", "{\"json\":true}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("unknown magic byte 0x7b");
    }

    @Test
    void rejectsAnUnknownSchemaId() {
        byte[] bytes = {0, 0, 0, 0, 42, 2, 3};

        assertThatThrownBy(() -> deserializer.deserialize("requests", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 42 is unknown");
    }

    @Test
    void rejectsATruncatedBody() {
        byte[] bytes = serializer.serialize(
                "requests", TestEvents.request("e-1", BEGINNING).build());

        assertThatThrownBy(() -> deserializer.deserialize("requests", Arrays.copyOf(bytes, bytes.length - 10)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("corrupt Avro body");
    }

    @Test
    void rejectsRecordsShorterThanTheHeader() {
        assertThatThrownBy(() -> deserializer.deserialize("requests", new byte[] {0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("shorter than the 5-byte Confluent header");
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(serializer.serialize("requests", null)).isNull();
        assertThat(deserializer.deserialize("requests", null)).isNull();
    }
}
