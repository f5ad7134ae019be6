package io.streamops.gateway.ingest;

import io.streamops.events.DbChange;
import io.streamops.gateway.http.JsonAnswer;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.registry.SchemaRegistryException;
import io.streamops.schemas.serde.MalformedRecordException;
import io.streamops.schemas.serde.WireFormat;
import io.streamops.schemas.topics.Codec;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.Topics;
import io.streamops.schemas.workflow.Workflows;
import io.streamops.workflows.cache.DebeziumEnvelope;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@code POST /ingest/<topic>[?key=...]}: events for a topic of the registry from producer clients
 * that do not speak Kafka. Plain JSON (an object, or an array of them) is checked against the
 * topic's schema; Confluent-framed Avro ({@code Content-Type: application/avro}) must carry a schema
 * id whose schema the topic's schema can read. Accepted events are written to Kafka before the
 * answer (200 with their offsets); anything else gets a 4xx with the reason. Only topics declared
 * open to ingest take events: decisions, dead letters, auth events and request events come from
 * streamops itself (a posted request event could frame another client for a rate limit).
 */
public final class IngestHandler {

    public static final String AVRO = "application/avro";
    public static final int MAX_BODY = 1024 * 1024;

    private final Vertx vertx;
    private final SchemaRegistryClient registry;
    private final Producer<String, byte[]> producer;
    private final TopicNaming naming;

    public IngestHandler(
            Vertx vertx, SchemaRegistryClient registry, Producer<String, byte[]> producer, TopicNaming naming) {
        this.vertx = vertx;
        this.registry = registry;
        this.producer = producer;
        this.naming = naming;
    }

    public void handle(RoutingContext ctx) {
        String declared = ctx.pathParam("topic");
        Optional<Topic<?, ?>> topic = Workflows.topic(declared);
        if (topic.isEmpty()) {
            refuse(ctx, 404, "unknown_topic", "'" + declared + "' is not a topic of the registry");
            return;
        }
        if (!topic.get().ingest()) {
            refuse(ctx, 403, "topic_not_ingestible", "'" + declared + "' is written only by streamops itself");
            return;
        }
        Schema schema = ((Codec.Avro<?>) topic.get().value()).schema();
        String name = naming.resolve(declared);
        String type = String.valueOf(ctx.request().getHeader("Content-Type")).toLowerCase();
        if (!type.startsWith("application/json") && !type.startsWith(AVRO)) {
            refuse(ctx, 415, "unsupported_media_type", "send application/json or " + AVRO + " (Confluent wire format)");
            return;
        }
        Buffer body = ctx.body().buffer();
        String key = ctx.request().getParam("key");
        boolean changes = declared.equals(Topics.DB_CHANGES.name());
        List<String> keyColumns = ctx.request().params().getAll("pk");
        // Registry lookups and Kafka sends may block: never on the event loop.
        vertx.executeBlocking(
                        () -> write(
                                name,
                                key,
                                changes && type.startsWith("application/json")
                                        ? debeziumOrPlain(body, name, schema, keyColumns)
                                        : keyless(encode(type, body, name, schema))),
                        false)
                .onComplete(done -> {
                    if (done.succeeded()) {
                        JsonArray written = new JsonArray();
                        done.result()
                                .forEach(m -> written.add(new JsonObject()
                                        .put("partition", m.partition())
                                        .put("offset", m.offset())));
                        ctx.response()
                                .setStatusCode(200)
                                .putHeader("Content-Type", "application/json")
                                .end(new JsonObject()
                                        .put("topic", name)
                                        .put("written", written)
                                        .encode());
                    } else if (done.cause() instanceof DecodeException e) {
                        refuse(ctx, 400, "invalid_json", "the body is not JSON: " + e.getMessage());
                    } else if (done.cause() instanceof JsonToAvro.Invalid
                            || done.cause() instanceof MalformedRecordException) {
                        refuse(ctx, 400, "invalid_event", done.cause().getMessage());
                    } else {
                        refuse(
                                ctx,
                                503,
                                "unavailable",
                                "events not written: " + done.cause().getMessage());
                    }
                });
    }

    /** An event's value, and its own key (null: the request's {@code ?key=}). */
    private record Keyed(String key, byte[] value) {}

    private static List<Keyed> keyless(List<byte[]> values) {
        return values.stream().map(v -> new Keyed(null, v)).toList();
    }

    /**
     * {@code db-changes} also takes Debezium's JSON change events (wrapped in {@code schema} and
     * {@code payload} or bare), as Debezium Server's HTTP sink posts them: each is keyed as the change
     * capture keys it; {@code ?pk=column} (repeatable) names the key columns the posted values lack.
     * Anything else is checked against the topic's schema like any event.
     */
    private List<Keyed> debeziumOrPlain(Buffer body, String name, Schema schema, List<String> keyColumns) {
        Object parsed = body == null ? null : Json.decodeValue(body);
        JsonArray events = parsed instanceof JsonArray array ? array : new JsonArray().add(parsed);
        boolean debezium = events.stream()
                .anyMatch(e -> e instanceof JsonObject o
                        && (o.getValue("payload") instanceof JsonObject || o.containsKey("source")));
        if (!debezium) {
            return keyless(encode("application/json", body, name, schema));
        }
        int id = registry.register(name + "-value", DbChange.getClassSchema());
        List<Keyed> values = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (!(events.getValue(i) instanceof JsonObject object)) {
                throw new JsonToAvro.Invalid("$[" + i + "]", "expected a Debezium change event");
            }
            Optional<DbChange> change;
            try {
                change = DebeziumEnvelope.parse(null, object.encode(), keyColumns);
            } catch (MalformedRecordException e) {
                throw new JsonToAvro.Invalid("$[" + i + "]", e.getMessage());
            }
            change.ifPresent(c -> values.add(new Keyed(
                    DebeziumEnvelope.kafkaKey(c), WireFormat.frame(id, new SpecificDatumWriter<>(DbChange.class), c))));
        }
        if (values.isEmpty()) {
            throw new JsonToAvro.Invalid("$", "no changes in the body (tombstones only)");
        }
        return values;
    }

    /** The body's events, framed for the topic: checked against its schema, in the wire format. */
    private List<byte[]> encode(String type, Buffer body, String name, Schema schema) {
        List<byte[]> values = new ArrayList<>();
        if (type.startsWith(AVRO)) {
            values.add(checkFramed(body, schema));
            return values;
        }
        Object parsed = body == null ? null : Json.decodeValue(body);
        JsonArray events = parsed instanceof JsonArray array ? array : new JsonArray().add(parsed);
        for (int i = 0; i < events.size(); i++) {
            if (!(events.getValue(i) instanceof JsonObject object)) {
                throw new JsonToAvro.Invalid("$[" + i + "]", "expected an object");
            }
            values.add(frame(name, schema, JsonToAvro.record(object, schema)));
        }
        if (values.isEmpty()) {
            throw new JsonToAvro.Invalid("$", "no events in the body");
        }
        return values;
    }

    private List<RecordMetadata> write(String topic, String key, List<Keyed> values) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Keyed value : values) {
            sent.add(
                    producer.send(new ProducerRecord<>(topic, value.key() == null ? key : value.key(), value.value())));
        }
        List<RecordMetadata> written = new ArrayList<>();
        for (Future<RecordMetadata> f : sent) {
            written.add(f.get(30, TimeUnit.SECONDS));
        }
        return written;
    }

    private byte[] frame(String topic, Schema schema, GenericRecord record) {
        int id = registry.register(topic + "-value", schema);
        try {
            return WireFormat.frame(id, new GenericDatumWriter<GenericRecord>(schema), record);
        } catch (UncheckedIOException | AvroRuntimeException e) {
            throw new JsonToAvro.Invalid("$", "cannot be encoded: " + e.getMessage());
        }
    }

    /** Framed Avro whose writer schema the topic's schema reads, and whose body decodes with it. */
    private byte[] checkFramed(Buffer body, Schema topicSchema) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        int id = WireFormat.schemaId(bytes);
        Schema writer;
        try {
            writer = registry.getById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new MalformedRecordException("schema id " + id + " is unknown to the registry");
            }
            throw e;
        }
        if (SchemaCompatibility.checkReaderWriterCompatibility(topicSchema, writer)
                        .getType()
                != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new MalformedRecordException("schema id " + id + " (" + writer.getFullName() + ") cannot be read as "
                    + topicSchema.getFullName());
        }
        try {
            var decoder = DecoderFactory.get()
                    .binaryDecoder(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE, null);
            new GenericDatumReader<GenericRecord>(writer, topicSchema).read(null, decoder);
            if (!decoder.isEnd()) {
                throw new MalformedRecordException("trailing bytes after the Avro body");
            }
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            throw new MalformedRecordException("corrupt Avro body: " + e.getMessage());
        }
        return bytes;
    }

    private static void refuse(RoutingContext ctx, int status, String error, String message) {
        JsonAnswer.refuse(ctx.response(), status, error, message);
    }
}
