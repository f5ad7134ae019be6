package io.streamops.gateway.extension;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.gateway.Gateway;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.schemas.workflow.Workflows;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Whatever a workflow says the gateway applies or runs, some gateway extension implements. */
class GatewayConventionsTest {

    @Test
    void everyGatewayPartOfEveryWorkflowIsImplemented() {
        Set<String> declared = new TreeSet<>();
        for (Workflow workflow : Workflows.all()) {
            workflow.appliers().stream()
                    .filter(a -> a.where() == Workflow.Where.GATEWAY)
                    .forEach(a -> declared.add(a.name()));
            workflow.operators().stream()
                    .filter(o -> o.engine() == Workflow.Engine.GATEWAY)
                    .forEach(o -> declared.add(o.name()));
        }
        Set<String> implemented = Gateway.extensions().stream()
                .flatMap(e -> e.implementsParts().stream())
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(implemented).containsExactlyInAnyOrderElementsOf(declared);
    }
}
