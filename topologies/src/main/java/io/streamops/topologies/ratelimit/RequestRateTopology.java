package io.streamops.topologies.ratelimit;

import io.streamops.common.PolicyRef;
import io.streamops.decisions.RateLimit;
import io.streamops.events.RequestEvent;
import io.streamops.ratelimit.RateLimitHit;
import io.streamops.ratelimit.RateLimitPolicy;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.Topics;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The request-rate operator of workflow 6: every request a gateway admitted counts, in event time,
 * against each bucket the policy puts it in (the same descriptor matching the gateways do), in one
 * global GCRA per bucket summed over all gateways. When a bucket's requests go over its limit, it
 * decides one {@link RateLimit} for the bucket until its next request would conform, with the rate
 * seen, the gateways the requests came through and the request that crossed it as evidence; every
 * gateway then refuses the bucket until then. Requests a gateway already refused do not count.
 *
 * <p>Policies come from the compacted config topic (a global store: every instance has every
 * domain), or from a fixed file in a replay. Requests are keyed by client; buckets may span clients
 * (a route's limit), so hits are repartitioned by bucket. Bucket state is dropped by a punctuator
 * once its TAT and any limit have lapsed.
 */
public final class RequestRateTopology {

    public static final String NAME = RateLimitWorkflow.OPERATOR;
    public static final PolicyRef POLICY = new PolicyRef("gcra", 1);
    static final String STORE = "request-rate-gcra";
    static final String POLICY_STORE = "request-rate-policies";

    private RequestRateTopology() {}

    public static void build(StreamsBuilder builder, RequestRateConfig config, TopicBinder topics) {
        BoundTopic<String, RequestEvent> in = topics.bind(Topics.REQUESTS);
        BoundTopic<String, RateLimitPolicy> policies = topics.bind(RateLimitWorkflow.POLICIES);
        BoundTopic<String, RateLimit> out = topics.bind(RateLimitWorkflow.DECISIONS);
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(POLICY_STORE), Serdes.String(), policies.value())
                        .withLoggingDisabled(),
                policies.name(),
                Consumed.with(policies.key(), policies.value()).withName("request-rate-policy-source"),
                () -> new PolicyStoreUpdater(POLICY_STORE));
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), BucketState.serde())
                        .withCachingEnabled());
        builder.stream(
                        in.name(),
                        Consumed.with(in.key(), in.value())
                                .withTimestampExtractor(RequestRateTopology::occurredAt)
                                .withName("request-rate-source"))
                .process(() -> new MatchBuckets(config), Named.as("request-rate-match"))
                .repartition(Repartitioned.with(Serdes.String(), topics.internal(RateLimitHit.class))
                        .withName("request-rate-buckets"))
                .process(() -> new GlobalGcra(config), Named.as("request-rate-limit"), STORE)
                .to(out.name(), Produced.with(out.key(), out.value()).withName("request-rate-sink"));
    }

    /** Event time is when the gateway saw the request, whatever the record's own timestamp. */
    static long occurredAt(ConsumerRecord<Object, Object> record, long partitionTime) {
        return record.value() instanceof RequestEvent request
                ? request.getOccurredAt().toEpochMilli()
                : partitionTime;
    }
}
