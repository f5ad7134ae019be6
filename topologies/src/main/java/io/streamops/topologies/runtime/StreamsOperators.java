package io.streamops.topologies.runtime;

import io.streamops.topologies.requestrate.RequestRateTopology;
import java.util.List;

/** Every Kafka Streams operator the platform runs. */
public final class StreamsOperators {

    public static final List<StreamsOperator> ALL = List.of(RequestRateTopology.OPERATOR);

    private StreamsOperators() {}
}
