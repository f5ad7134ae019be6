package io.streamops.topologies.runtime;

import io.streamops.schemas.config.Settings;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.workflow.Workflow;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.Topology;

/**
 * A Kafka Streams operator as the runner sees it: the operator its workflow declares (name, topics,
 * dead letters, state bounds) and its topology built from settings. Its logic lives in a pure builder
 * of its own. Implementations are found by {@link java.util.ServiceLoader} ({@link
 * StreamsOperators}); annotate one with {@code @AutoService(StreamsOperator.class)}.
 */
public interface StreamsOperator {

    /** The operator as its workflow's descriptor declares it. */
    Workflow.Operator descriptor();

    /** Short name: the application id is {@code <prefix><name>}. */
    default String name() {
        return descriptor().name();
    }

    /** Reads its config from {@code settings}, then builds its topology. */
    Topology topology(Settings settings, TopicBinder topics);

    /**
     * Its own commit interval, for an operator whose decisions must be applied sooner than the shared
     * {@code streamops.streams.commit.interval} allows (under exactly-once a decision is visible when
     * its transaction commits); empty for the shared one.
     */
    default Optional<Duration> commitInterval(Settings settings) {
        return Optional.empty();
    }
}
