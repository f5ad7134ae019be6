package io.streamops.topologies.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.schemas.config.Settings;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.testing.InMemorySchemaRegistry;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.schemas.workflow.Workflows;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Kafka Streams operator a workflow declares exists here, and keeps no store it has not bounded. */
class StreamsOperatorConventionsTest {

    static Stream<StreamsOperator> operators() {
        return StreamsOperators.all().stream();
    }

    @Test
    void theDeclaredOperatorsAndTheImplementedOnesAreTheSame() {
        assertThat(StreamsOperators.all())
                .extracting(StreamsOperator::name)
                .containsExactlyInAnyOrderElementsOf(Workflows.operators(Workflow.Engine.KAFKA_STREAMS).stream()
                        .map(Workflow.Operator::name)
                        .toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operators")
    void everyStoreTheTopologyBuildsHasADeclaredBound(StreamsOperator operator) {
        TopologyDescription description = operator.topology(
                        Settings.of(Map.of()), TopicBinder.of(new InMemorySchemaRegistry()))
                .describe();
        Set<String> stores = new TreeSet<>();
        description
                .subtopologies()
                .forEach(s -> s.nodes().forEach(n -> {
                    if (n instanceof TopologyDescription.Processor p) {
                        stores.addAll(p.stores());
                    }
                }));
        description.globalStores().forEach(g -> stores.addAll(g.processor().stores()));

        assertThat(operator.descriptor().state())
                .extracting(Workflow.StateBound::name)
                .as("the stores of " + operator.name())
                .containsExactlyInAnyOrderElementsOf(stores);
    }
}
