package io.streamops.gateway.view;

import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.topics.TopicView;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * A decision topic as this gateway instance applies it: read read_committed, in log order, into a
 * {@link DecisionTable}, rebuilt from the topic at start (it is caught up before the gateway
 * serves). Shared: {@link DecisionViews} gives every filter of one topic the same view.
 */
public final class DecisionView<D extends SpecificRecord> implements DecisionLookup<D>, AutoCloseable {

    private final String topic;
    private final DecisionTable<D> table;
    private final TopicView<D> view;

    DecisionView(KafkaClients kafka, BoundTopic<String, D> topic, Function<D, Instant> expiresAt, Clock clock) {
        this.topic = topic.name();
        this.table = new DecisionTable<>(expiresAt, clock);
        this.view = new TopicView<>(
                kafka,
                topic.name(),
                topic.key().deserializer(),
                topic.value().deserializer(),
                r -> table.apply(r.key(), r.value()));
    }

    @Override
    public Optional<D> current(String key) {
        return table.current(key);
    }

    public String topic() {
        return topic;
    }

    void prune() {
        table.prune();
    }

    Map<String, Long> counters() {
        return table.counters();
    }

    @Override
    public void close() {
        view.close();
    }
}
