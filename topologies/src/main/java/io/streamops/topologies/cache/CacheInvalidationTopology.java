package io.streamops.topologies.cache;

import io.streamops.decisions.CacheInvalidation;
import io.streamops.events.DbChange;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.Topics;
import io.streamops.workflows.cache.CacheWorkflow;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The cache-invalidation operator of workflow 2: each committed row change on {@code db-changes}
 * becomes the {@link CacheInvalidation} of the cache keys and prefixes the rules derive from its
 * before and after images, on a one-partition decision topic every gateway applies in order. It
 * keeps no state: the same change gives the same decision id, and evicting twice is harmless.
 */
public final class CacheInvalidationTopology {

    public static final String NAME = CacheWorkflow.OPERATOR;

    private CacheInvalidationTopology() {}

    public static void build(StreamsBuilder builder, CacheInvalidationConfig config, TopicBinder topics) {
        BoundTopic<String, DbChange> in = topics.bind(Topics.DB_CHANGES);
        BoundTopic<String, CacheInvalidation> out = topics.bind(CacheWorkflow.DECISIONS);
        builder.stream(
                        in.name(),
                        Consumed.with(in.key(), in.value())
                                .withTimestampExtractor(CacheInvalidationTopology::committedAt)
                                .withName("cache-invalidation-source"))
                .process(() -> new Invalidate(config), Named.as("cache-invalidation-decide"))
                .to(out.name(), Produced.with(out.key(), out.value()).withName("cache-invalidation-sink"));
    }

    /** Event time is when the change committed in the database. */
    static long committedAt(ConsumerRecord<Object, Object> record, long partitionTime) {
        return record.value() instanceof DbChange change
                ? change.getOccurredAt().toEpochMilli()
                : partitionTime;
    }
}
