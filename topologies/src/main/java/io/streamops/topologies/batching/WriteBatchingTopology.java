package io.streamops.topologies.batching;

import io.streamops.batching.PendingRow;
import io.streamops.decisions.WriteBatch;
import io.streamops.events.WriteIntent;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.workflows.batching.BatchingWorkflow;
import io.streamops.workflows.batching.Coalesce;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The write-batching operator of workflow 1: write intents, checked (a bad one goes to the
 * dead-letter topic with the reason) and re-keyed by row, so that each row's intents meet in one
 * task in log order; each task coalesces them per row ({@link Coalesce}) and, every window (a
 * quarter of the latency budget, on the wall clock: a batch must go out whether or not more intents
 * come), decides one {@link WriteBatch} per table of the rows written since.
 */
public final class WriteBatchingTopology {

    public static final String NAME = BatchingWorkflow.OPERATOR;
    static final String STORE = "write-batching-pending";

    private WriteBatchingTopology() {}

    public static void build(StreamsBuilder builder, WriteBatchingConfig config, TopicBinder topics) {
        BoundTopic<String, WriteIntent> in = topics.bind(BatchingWorkflow.INTENTS);
        BoundTopic<String, WriteBatch> out = topics.bind(BatchingWorkflow.DECISIONS);
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(STORE), Serdes.String(), topics.internal(PendingRow.class))
                .withCachingEnabled());
        builder.stream(
                        in.name(),
                        Consumed.with(in.key(), in.value())
                                .withTimestampExtractor(WriteBatchingTopology::occurredAt)
                                .withName("write-batching-source"))
                .filter((key, intent) -> intent != null, Named.as("write-batching-present"))
                .selectKey((key, intent) -> checked(config, intent), Named.as("write-batching-by-row"))
                .repartition(Repartitioned.with(Serdes.String(), in.value()).withName("write-batching-rows"))
                .process(() -> new CoalesceRows(config), Named.as("write-batching-coalesce"), STORE)
                .to(out.name(), Produced.with(out.key(), out.value()).withName("write-batching-sink"));
    }

    /** The intent's row key, once it is known to be one the database can be asked to make. */
    static String checked(WriteBatchingConfig config, WriteIntent intent) {
        Coalesce.check(intent);
        String table = Coalesce.table(intent.getTable());
        if (!config.tables().contains(table)) {
            throw new Coalesce.InvalidIntent(
                    "table " + table + " is not among " + BatchingWorkflow.TABLES.name() + " " + config.tables());
        }
        return Coalesce.rowKey(intent);
    }

    static long occurredAt(ConsumerRecord<Object, Object> record, long partitionTime) {
        return record.value() instanceof WriteIntent intent
                ? intent.getOccurredAt().toEpochMilli()
                : partitionTime;
    }
}
