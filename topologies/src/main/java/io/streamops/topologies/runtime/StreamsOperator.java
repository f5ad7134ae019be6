package io.streamops.topologies.runtime;

import io.streamops.schemas.config.Settings;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.workflow.Workflow;
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
}
