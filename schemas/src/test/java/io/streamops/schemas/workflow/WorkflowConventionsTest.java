package io.streamops.schemas.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.schemas.config.ConfigKey;
import io.streamops.schemas.topics.Codec;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The house rules, checked for every workflow on the classpath, so that a new room cannot skip them.
 * The engine modules check the rest against the code: that each declared operator, filter and
 * actuator exists, and that each store an operator builds is one it declares a bound for.
 */
class WorkflowConventionsTest {

    static Stream<Workflow> workflows() {
        return Workflows.all().stream();
    }

    @Test
    void workflowsAreFound() {
        assertThat(Workflows.all()).extracting(Workflow::name).contains("ratelimit", "loganomaly", "keys");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void everyOperatorThatReadsHasADeadLetterTopicOfItsOwn(Workflow workflow) {
        for (Workflow.Operator operator : workflow.operators()) {
            if (operator.inputs().isEmpty()) {
                continue;
            }
            assertThat(operator.deadLetters())
                    .as(operator.name() + " has a dead-letter topic")
                    .isPresent();
            Topic<?, ?> dlq = operator.deadLetters().get();
            assertThat(dlq.role()).isEqualTo(TopicRole.DEAD_LETTER);
            assertThat(workflow.topics()).as("the workflow owns it").contains(dlq);
            assertThat(operator.outputs()).contains(dlq);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void everyDecisionSchemaStartsWithTheEnvelope(Workflow workflow) {
        for (Topic<?, ?> topic : decisionTopics(workflow)) {
            Schema schema = ((Codec.Avro<?>) topic.value()).schema();
            assertThat(schema.getFields().get(0).name()).as(topic.name()).isEqualTo("envelope");
            assertThat(schema.getFields().get(0).schema().getFullName())
                    .isEqualTo("io.streamops.common.DecisionEnvelope");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void everyDecisionTopicIsAppliedBySomething(Workflow workflow) {
        for (Topic<?, ?> topic : decisionTopics(workflow)) {
            assertThat(workflow.appliers())
                    .as("an applier of " + topic.name())
                    .anySatisfy(a -> assertThat(a.decisions()).isEqualTo(topic));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void everyActuatorRecordsItsOutcomes(Workflow workflow) {
        workflow.appliers().stream()
                .filter(a -> a.where() == Workflow.Where.ACTUATOR)
                .forEach(a -> {
                    assertThat(a.outcomes())
                            .as(a.name() + " has an outcome topic")
                            .isPresent();
                    assertThat(a.outcomes().get().role()).isEqualTo(TopicRole.OUTCOME);
                    assertThat(workflow.topics()).contains(a.outcomes().get());
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void everyConfigKeyHasADocAndLivesUnderTheWorkflowsPrefix(Workflow workflow) {
        for (ConfigKey<?> key : workflow.config().keys()) {
            assertThat(key.doc()).as(key.name()).isNotBlank();
            // A workflow's setting of one route lives beside the route's own keys, under the workflow's name.
            String perRoute = "streamops.gateway.route.<name>." + workflow.name() + ".";
            assertThat(key.name().startsWith(workflow.config().prefix())
                            || key.name().startsWith(perRoute))
                    .as(key.name() + " is under " + workflow.config().prefix() + " or " + perRoute)
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void everyKeyedStateDeclaresItsBound(Workflow workflow) {
        for (Workflow.Operator operator : workflow.operators()) {
            assertThat(operator.state()).allSatisfy(s -> {
                assertThat(s.name()).isNotBlank();
                assertThat(s.bound()).as("the bound of " + s.name()).isNotBlank();
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void theWorkflowHasItsReadmeSection(Workflow workflow) throws IOException {
        List<String> readme = Files.readAllLines(Path.of("../README.md"));

        assertThat(readme)
                .as("README.md has a section headed '### " + workflow.title() + "'")
                .contains("### " + workflow.title());
    }

    private static List<Topic<?, ?>> decisionTopics(Workflow workflow) {
        return workflow.topics().stream()
                .filter(t -> t.role() == TopicRole.DECISION)
                .toList();
    }
}
