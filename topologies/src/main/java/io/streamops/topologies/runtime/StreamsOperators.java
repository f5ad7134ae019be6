package io.streamops.topologies.runtime;

import io.streamops.schemas.workflow.Plugins;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Every Kafka Streams operator on the classpath, found by {@link ServiceLoader}. */
public final class StreamsOperators {

    private static final List<StreamsOperator> ALL = load();

    private StreamsOperators() {}

    public static List<StreamsOperator> all() {
        return ALL;
    }

    public static Optional<StreamsOperator> byName(String name) {
        return ALL.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    private static List<StreamsOperator> load() {
        return Plugins.load(StreamsOperator.class, StreamsOperator::name);
    }
}
