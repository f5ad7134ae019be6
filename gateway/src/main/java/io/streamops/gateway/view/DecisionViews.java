package io.streamops.gateway.view;

import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicRole;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/** The decision views of one gateway instance: one per topic, however many filters read it. */
public final class DecisionViews implements AutoCloseable {

    private final KafkaClients kafka;
    private final TopicBinder topics;
    private final Clock clock;
    private final Map<String, DecisionView<?>> views = new ConcurrentHashMap<>();

    public DecisionViews(KafkaClients kafka, TopicBinder topics, Clock clock) {
        this.kafka = kafka;
        this.topics = topics;
        this.clock = clock;
    }

    /**
     * The view of a decision topic, started (and caught up with the topic) on first use.
     *
     * @param expiresAt when a decision lapses; null for decisions that never do
     */
    @SuppressWarnings("unchecked")
    public <D extends SpecificRecord> DecisionView<D> view(Topic<String, D> topic, Function<D, Instant> expiresAt) {
        if (topic.role() != TopicRole.DECISION) {
            throw new IllegalArgumentException(topic.name() + " is not a decision topic");
        }
        return (DecisionView<D>) views.computeIfAbsent(
                topic.name(), name -> new DecisionView<>(kafka, topics.bind(topic), expiresAt, clock));
    }

    /** Drops lapsed decisions from every view. */
    public void prune() {
        views.values().forEach(DecisionView::prune);
    }

    /** Every view's counters, by topic, for {@code /health}. */
    public Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> all = new TreeMap<>();
        views.values().forEach(v -> all.put(v.topic(), v.counters()));
        return all;
    }

    @Override
    public void close() {
        views.values().forEach(DecisionView::close);
    }
}
