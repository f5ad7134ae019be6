package io.streamops.platform.actuator;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.schemas.workflow.Workflow;
import io.streamops.schemas.workflow.Workflows;
import org.junit.jupiter.api.Test;

/** Every actuator a workflow declares exists, as the applier it declares, and no other. */
class ActuatorConventionsTest {

    @Test
    void theDeclaredActuatorsAndTheImplementedOnesAreTheSame() {
        assertThat(Actuators.all())
                .extracting(ActuatorFactory::applier)
                .containsExactlyInAnyOrderElementsOf(Workflows.all().stream()
                        .flatMap(w -> w.appliers().stream())
                        .filter(a -> a.where() == Workflow.Where.ACTUATOR)
                        .toList());
    }
}
