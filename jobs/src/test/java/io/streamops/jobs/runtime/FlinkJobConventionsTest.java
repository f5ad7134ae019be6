package io.streamops.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.schemas.workflow.Workflow;
import io.streamops.schemas.workflow.Workflows;
import org.junit.jupiter.api.Test;

/** Every Flink job a workflow declares is in this module (and so in the shaded job jar), and no other. */
class FlinkJobConventionsTest {

    @Test
    void theDeclaredJobsAndTheImplementedOnesAreTheSame() {
        assertThat(FlinkJobs.all())
                .extracting(FlinkJob::name)
                .containsExactlyInAnyOrderElementsOf(Workflows.operators(Workflow.Engine.FLINK).stream()
                        .map(Workflow.Operator::name)
                        .toList());
    }

    @Test
    void eachJobIsTheOperatorItsWorkflowDeclares() {
        FlinkJobs.all()
                .forEach(job -> assertThat(Workflows.operator(job.name())).contains(job.descriptor()));
    }
}
