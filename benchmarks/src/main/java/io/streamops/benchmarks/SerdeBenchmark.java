package io.streamops.benchmarks;

import io.streamops.events.RequestEvent;
import io.streamops.schemas.serde.KafkaAvroSerde;
import io.streamops.schemas.testing.InMemorySchemaRegistry;
import io.streamops.schemas.testing.TestEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Confluent-framed serde against its baseline, raw Avro binary with the same writers and
 * readers: the difference is the registry framing (header, id lookup through the cache).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SerdeBenchmark {

    private RequestEvent event;
    private Serializer<RequestEvent> serializer;
    private Deserializer<RequestEvent> deserializer;
    private byte[] framed;
    private SpecificDatumWriter<RequestEvent> rawWriter;
    private SpecificDatumReader<RequestEvent> rawReader;
    private byte[] raw;

    @Setup
    public void setUp() throws IOException {
        event = TestEvents.request("bench-1", TestEvents.BEGINNING)
                .setPrincipal("alice")
                .setTraceId("4bf92f3577b34da6a3ce929d0e0e4736")
                .build();
        KafkaAvroSerde<RequestEvent> serde =
                new KafkaAvroSerde<>(new InMemorySchemaRegistry(), RequestEvent.class, false, true);
        serializer = serde.serializer();
        deserializer = serde.deserializer();
        framed = serializer.serialize("requests", event);
        rawWriter = new SpecificDatumWriter<>(RequestEvent.class);
        rawReader = new SpecificDatumReader<>(RequestEvent.class);
        raw = rawEncode();
    }

    @Benchmark
    @Measures(
            value = "Avro serialize, Confluent-framed",
            baseline = "baselineRawAvroEncode",
            baselineLabel = "raw Avro encode")
    public byte[] confluentSerialize() {
        return serializer.serialize("requests", event);
    }

    @Benchmark
    public byte[] baselineRawAvroEncode() throws IOException {
        return rawEncode();
    }

    @Benchmark
    @Measures(
            value = "Avro deserialize, Confluent-framed",
            baseline = "baselineRawAvroDecode",
            baselineLabel = "raw Avro decode")
    public RequestEvent confluentDeserialize() {
        return deserializer.deserialize("requests", framed);
    }

    @Benchmark
    public RequestEvent baselineRawAvroDecode() throws IOException {
        return rawReader.read(null, DecoderFactory.get().binaryDecoder(raw, null));
    }

    private byte[] rawEncode() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        rawWriter.write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
