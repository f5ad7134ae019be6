package io.streamops.jobs.runtime;

import io.streamops.schemas.registry.RegistryClients;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.AvroDecoder;
import io.streamops.schemas.serde.MalformedRecordException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes Confluent-framed Avro into events; a record that cannot be decoded goes to the {@link
 * #REJECTED} side output with the reason, and the job goes on. Registry outages are not the
 * record's fault: they fail the task, which restarts from its last checkpoint.
 */
public final class Decode<T extends SpecificRecordBase> extends ProcessFunction<KafkaRecord, Sourced<T>> {

    public static final OutputTag<Rejected> REJECTED = new OutputTag<>("rejected") {};

    private final String operator;
    private final Class<T> type;
    private final RegistryClients registry;
    private transient SchemaRegistryClient client;
    private transient AvroDecoder<T> decoder;

    public Decode(String operator, Class<T> type, RegistryClients registry) {
        this.operator = operator;
        this.type = type;
        this.registry = registry;
    }

    @Override
    public void open(OpenContext context) {
        client = registry.create();
        decoder = new AvroDecoder<>(client, type);
    }

    @Override
    public void processElement(KafkaRecord record, Context ctx, Collector<Sourced<T>> out) {
        T event;
        try {
            event = record.value == null ? null : decoder.decode(record.value);
        } catch (MalformedRecordException e) {
            ctx.output(
                    REJECTED,
                    new Rejected(
                            operator,
                            record,
                            "cannot deserialize: " + e.getMessage(),
                            e.getClass().getName(),
                            ctx.timerService().currentProcessingTime()));
            return;
        }
        if (event != null) {
            out.collect(new Sourced<>(event, record));
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
