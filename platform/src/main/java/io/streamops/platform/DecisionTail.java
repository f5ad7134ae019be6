package io.streamops.platform;

import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.WireFormat;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.TopicRole;
import io.streamops.schemas.workflow.Workflows;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints new decisions as they are committed, with their mode and the evidence's summary: what a
 * person watching the platform wants to see flow. Reads any decision type through its writer schema.
 * Of the decisions about one key of one topic it prints one per {@link #QUIET} (by their
 * timestamps), with how many it left out since: write batches come many a second.
 */
final class DecisionTail implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final SchemaRegistryClient registry;
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean running = true;

    static final Duration QUIET = Duration.ofSeconds(10);
    private final Quiet quiet = new Quiet(QUIET);

    DecisionTail(KafkaClients kafka, TopicNaming naming, SchemaRegistryClient registry, PrintStream out) {
        this.registry = registry;
        this.out = out;
        this.consumer = kafka.consumer(
                "streamops-decision-tail",
                Map.of(
                        "group.id",
                        "streamops-decision-tail-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "latest",
                        "isolation.level",
                        "read_committed",
                        "enable.auto.commit",
                        false,
                        "metadata.max.age.ms",
                        5000),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(Workflows.topics().stream()
                .filter(t -> t.role() == TopicRole.DECISION)
                .map(t -> naming.resolve(t.name()))
                .toList());
        this.thread = new Thread(this::run, "decision-tail");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String line = next(record);
                    if (line != null) {
                        out.println(line);
                    }
                }
            }
        } catch (WakeupException e) {
            // Closing.
        } finally {
            consumer.close();
        }
    }

    /** The line to print for the record, or null while its key's last one is less than {@link #QUIET} old. */
    String next(ConsumerRecord<String, byte[]> record) {
        return quiet.admit(record.topic() + '\u0000' + record.key(), record.timestamp(), () -> describe(record));
    }

    /**
     * One line per key every {@code quiet}, by the records' timestamps, with how many were left out
     * since. Bounded: keys quiet for longer with nothing left out are forgotten past 10,000.
     */
    static final class Quiet {
        private final long quietMillis;
        private final Map<String, long[]> printed = new java.util.HashMap<>();

        Quiet(Duration quiet) {
            this.quietMillis = quiet.toMillis();
        }

        String admit(String key, long timestamp, java.util.function.Supplier<String> line) {
            long[] last = printed.computeIfAbsent(key, k -> new long[] {Long.MIN_VALUE, 0});
            if (last[0] != Long.MIN_VALUE && timestamp - last[0] < quietMillis) {
                last[1]++;
                return null;
            }
            String text = line.get() + (last[1] > 0 ? "  (+" + last[1] + " more since)" : "");
            last[0] = timestamp;
            last[1] = 0;
            if (printed.size() > 10_000) {
                printed.values().removeIf(p -> timestamp - p[0] > quietMillis && p[1] == 0);
            }
            return text;
        }
    }

    String describe(ConsumerRecord<String, byte[]> record) {
        try {
            GenericRecord envelope =
                    (GenericRecord) decode(registry, record.value()).get("envelope");
            GenericRecord evidence = (GenericRecord) envelope.get("evidence");
            GenericRecord policy = (GenericRecord) envelope.get("policy");
            return String.format(
                    "[decision] %s key=%s mode=%s policy=%s/v%s: %s",
                    record.topic(),
                    record.key(),
                    envelope.get("mode"),
                    policy.get("name"),
                    policy.get("version"),
                    evidence.get("summary"));
        } catch (Exception e) {
            return "[decision] " + record.topic() + " key=" + record.key() + " (unreadable: " + e.getMessage() + ")";
        }
    }

    /** Reads timestamps as instants, so that decisions print with ISO-8601 times. */
    private static final GenericData WITH_TIMES = new GenericData();

    static {
        WITH_TIMES.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    }

    /** Any decision, read through its writer schema. */
    static GenericRecord decode(SchemaRegistryClient registry, byte[] bytes) throws IOException {
        Schema writer = registry.getById(WireFormat.schemaId(bytes));
        return new GenericDatumReader<GenericRecord>(writer, writer, WITH_TIMES)
                .read(
                        null,
                        DecoderFactory.get()
                                .binaryDecoder(
                                        bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE, null));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
