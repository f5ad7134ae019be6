package io.streamops.topologies.requestrate;

import io.streamops.common.DeadLetter;
import io.streamops.common.PolicyRef;
import io.streamops.decisions.RateLimit;
import io.streamops.events.RequestEvent;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.keys.ClientKeys;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.Topics;
import io.streamops.topologies.runtime.StreamsOperator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The walking skeleton's Kafka Streams operator (workflow 6 builds on it): counts requests per
 * client key in fixed windows and, the moment a client exceeds the limit within a window, decides a
 * {@link RateLimit} for it until the window ends, with the count, the limit, the window and the
 * request that crossed it as evidence. One decision per client and window.
 *
 * <p>Input contract: {@code requests} is keyed by client key (the gateway does so), so counting
 * needs no repartition.
 */
public final class RequestRateTopology {

    public static final String NAME = "request-rate";
    public static final PolicyRef POLICY = new PolicyRef("fixed-window-threshold", 1);
    static final String STORE = "request-rate-counts";

    public static final StreamsOperator OPERATOR = new StreamsOperator() {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public List<Topic<?, ?>> topics() {
            return List.of(Topics.REQUESTS, Topics.RATE_LIMITS, Topics.REQUEST_RATE_DLQ);
        }

        @Override
        public Topic<String, DeadLetter> deadLetters() {
            return Topics.REQUEST_RATE_DLQ;
        }

        @Override
        public Topology topology(Settings settings, TopicBinder topics) {
            StreamsBuilder builder = new StreamsBuilder();
            build(builder, RequestRateConfig.from(settings), topics);
            return builder.build();
        }
    };

    private RequestRateTopology() {}

    public static void build(StreamsBuilder builder, RequestRateConfig config, TopicBinder topics) {
        BoundTopic<String, RequestEvent> in = topics.bind(Topics.REQUESTS);
        BoundTopic<String, RateLimit> out = topics.bind(Topics.RATE_LIMITS);
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
