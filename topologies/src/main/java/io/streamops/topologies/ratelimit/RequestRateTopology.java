package io.streamops.topologies.ratelimit;

import io.streamops.common.PolicyRef;
import io.streamops.decisions.RateLimit;
import io.streamops.events.RequestEvent;
import io.streamops.schemas.keys.ClientKeys;
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
import org.apache.kafka.streams.state.Stores;

/**
 * The request-rate operator of workflow 6 (the rate-limiting issue replaces its policy): counts requests per
 * client key in fixed windows and, the moment a client exceeds the limit within a window, decides a
 * {@link RateLimit} for it until the window ends, with the count, the limit, the window and the
 * request that crossed it as evidence. One decision per client and window.
 *
 * <p>Input contract: {@code requests} is keyed by client key (the gateway does so), so counting
 * needs no repartition.
 */
public final class RequestRateTopology {

    public static final String NAME = RateLimitWorkflow.OPERATOR;
    public static final PolicyRef POLICY = new PolicyRef("fixed-window-threshold", 1);
    static final String STORE = "request-rate-counts";

    private RequestRateTopology() {}

    public static void build(StreamsBuilder builder, RequestRateConfig config, TopicBinder topics) {
        BoundTopic<String, RequestEvent> in = topics.bind(Topics.REQUESTS);
        BoundTopic<String, RateLimit> out = topics.bind(RateLimitWorkflow.DECISIONS);
        builder.addStateStore(Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(STORE, config.retention(), config.window(), false),
                        Serdes.String(),
                        Serdes.Long())
                // A busy client's count changes with every request: the cache folds those changes into
                // one store and changelog write per commit instead of one per request.
                .withCachingEnabled());
        builder.stream(
                        in.name(),
                        Consumed.with(in.key(), in.value())
                                .withTimestampExtractor(RequestRateTopology::occurredAt)
                                .withName("request-rate-source"))
                .process(() -> new RequestRateProcessor(config), Named.as("request-rate-count"), STORE)
                .to(out.name(), Produced.with(out.key(), out.value()).withName("request-rate-sink"));
    }

    /** Event time is when the gateway saw the request, whatever the record's own timestamp. */
    static long occurredAt(ConsumerRecord<Object, Object> record, long partitionTime) {
        return record.value() instanceof RequestEvent request
                ? request.getOccurredAt().toEpochMilli()
                : partitionTime;
    }

    /** The key a client is limited by: its principal when authenticated, else its address. */
    static String clientKey(RequestEvent request) {
        return ClientKeys.of(request.getPrincipal(), request.getClientAddress());
    }
}
