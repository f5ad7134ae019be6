package io.streamops.topologies.cache;

import io.streamops.cache.CacheFill;
import io.streamops.cache.CacheLookup;
import io.streamops.cache.CacheRouteWindow;
import io.streamops.decisions.CacheInvalidation;
import io.streamops.decisions.CacheTtl;
import io.streamops.events.RequestEvent;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.Topics;
import io.streamops.workflows.cache.CacheWorkflow;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The cache-ttl operator of workflow 2: the hit rate of every cacheable route per event-time window,
 * from the gateways' request events, with each miss told apart by what caused it: a key not seen
 * before, a row change that evicted it, its TTL running out, or anything else. At each window's end
 * it decides one {@link CacheTtl} per route ({@link io.streamops.workflows.cache.TtlAdvice}): KEEP,
 * or LENGTHEN where expiries cost hits on a route the change stream keeps fresh.
 *
 * <p>Which keys a row change evicted comes from the invalidations themselves, on their one-partition
 * topic; lookups are brought to one partition too, so that one task sees both (one task is enough:
 * it reads only the lookups of cacheable routes, and keeps a few longs per key).
 */
public final class CacheTtlTopology {

    public static final String NAME = CacheWorkflow.TTL_OPERATOR;
    static final String FILLS = "cache-ttl-fills";
    static final String ROUTES = "cache-ttl-routes";

    private CacheTtlTopology() {}

    public static void build(StreamsBuilder builder, CacheTtlConfig config, TopicBinder topics) {
        BoundTopic<String, RequestEvent> requests = topics.bind(Topics.REQUESTS);
        BoundTopic<String, CacheInvalidation> invalidations = topics.bind(CacheWorkflow.DECISIONS);
        BoundTopic<String, CacheTtl> out = topics.bind(CacheWorkflow.TTL_DECISIONS);
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(FILLS), Serdes.String(), topics.internal(CacheFill.class))
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ROUTES),
                        Serdes.String(),
                        topics.internal(CacheRouteWindow.class))
                .withCachingEnabled());
        builder.stream(
                        invalidations.name(),
                        Consumed.with(invalidations.key(), invalidations.value())
                                .withTimestampExtractor(CacheTtlTopology::eventTime)
                                .withName("cache-ttl-invalidation-source"))
                .process(MarkInvalidated::new, Named.as("cache-ttl-mark-invalidated"), FILLS, ROUTES);
        builder.stream(
                        requests.name(),
                        Consumed.with(requests.key(), requests.value())
                                .withTimestampExtractor(CacheTtlTopology::eventTime)
                                .withName("cache-ttl-request-source"))
                .process(Lookups::new, Named.as("cache-ttl-lookups"))
                .repartition(Repartitioned.with(Serdes.String(), topics.internal(CacheLookup.class))
                        .withName("cache-ttl-lookups")
                        .withNumberOfPartitions(CacheWorkflow.DECISIONS.partitions()))
                .process(() -> new AdviseTtl(config), Named.as("cache-ttl-advise"), FILLS, ROUTES)
                .to(out.name(), Produced.with(out.key(), out.value()).withName("cache-ttl-sink"));
    }

    /** Event time: when the gateway saw the request, or when the change committed. */
    static long eventTime(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof RequestEvent request) {
            return request.getOccurredAt().toEpochMilli();
        }
        if (record.value() instanceof CacheInvalidation invalidation) {
            return invalidation.getCommittedAt() != null
                    ? invalidation.getCommittedAt().toEpochMilli()
                    : invalidation.getEnvelope().getEventTime().toEpochMilli();
        }
        return partitionTime;
    }
}
