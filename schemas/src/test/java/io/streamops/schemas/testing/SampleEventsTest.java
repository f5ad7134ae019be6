package io.streamops.schemas.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.schemas.topics.TopicRole;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.schemas.workflow.Workflows;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SampleEventsTest {

    /** The benchmarks' pipeline part feeds every operator from these: one missing fails the whole part. */
    @Test
    void everyEventTopicAnOperatorReadsHasASampleOfItsType() {
        for (Workflow workflow : Workflows.all()) {
            for (Workflow.Operator operator : workflow.operators()) {
                operator.inputs().stream()
                        .filter(t -> t.role() == TopicRole.EVENT)
                        .forEach(topic -> assertThat(SampleEvents.of(topic))
                                .as(operator.name() + " reads " + topic.name())
                                .get()
                                .satisfies(maker -> assertThat(maker.make(7, Instant.parse("2026-12-01T10:00:00Z"))
                                                .value()
                                                .getSchema()
                                                .getFullName())
                                        .isEqualTo(((io.streamops.schemas.topics.Codec.Avro<?>) topic.value())
                                                .schema()
                                                .getFullName())));
            }
        }
    }
}
