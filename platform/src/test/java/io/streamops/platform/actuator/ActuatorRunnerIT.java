package io.streamops.platform.actuator;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.common.ActuationOutcome;
import io.streamops.common.Mode;
import io.streamops.common.OutcomeStatus;
import io.streamops.decisions.Anomaly;
import io.streamops.platform.loganomaly.Anomalies;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.testkit.TestStack;
import io.streamops.testkit.TopicReader;
import io.streamops.workflows.loganomaly.LogAnomalyWorkflow;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Decisions in, effects out exactly once per decision id, and an outcome record for each, against
 * a real broker: a duplicate is not applied again, a shadow decision not at all, a failure is
 * recorded with its reason, and a restarted runner remembers what it applied.
 */
class ActuatorRunnerIT {

    static final TestStack STACK = TestStack.shared();

    /** The recording fake: what it was asked to apply, and a key it refuses. */
    static final class Recording implements Actuator<Anomaly> {
        final List<String> applied = new CopyOnWriteArrayList<>();

        @Override
        public String apply(String key, Anomaly decision) {
            if (key.equals("broken")) {
                throw new IllegalStateException("the target refused it");
            }
            applied.add(decision.getEnvelope().getDecisionId());
            return "recorded " + key;
        }
    }

    @Test
    void appliesEachDecisionOnceAndRecordsEveryOutcome() {
        TopicNaming naming = new TopicNaming("actuator-it.", Map.of());
        STACK.createTopics(naming.resolveAll(new LogAnomalyWorkflow().topics()));
        TopicBinder topics = TopicBinder.of(STACK.registry(), true, naming);
        Workflow.Applier alerts = new LogAnomalyWorkflow().appliers().get(0);
        Clock clock = Clock.fixed(BEGINNING, ZoneOffset.UTC);

        send(
                topics,
                List.of(
                        Anomalies.anomaly("checkout", "d-1", Mode.ENFORCE),
                        Anomalies.anomaly("checkout", "d-1", Mode.ENFORCE),
                        Anomalies.anomaly("search", "d-2", Mode.SHADOW),
                        Anomalies.anomaly("broken", "d-3", Mode.ENFORCE)));
        Recording first = new Recording();
        try (ActuatorRunner<Anomaly> runner =
                new ActuatorRunner<>(alerts, first, STACK.kafka(), topics, "actuator-it-", clock)) {
            assertThat(outcomes(topics, 4))
                    .extracting(o -> o.getDecisionId() + " " + o.getStatus())
                    .containsExactlyInAnyOrder("d-1 APPLIED", "d-1 DUPLICATE", "d-2 SHADOW", "d-3 FAILED");
        }
        assertThat(first.applied).containsExactly("d-1");
        assertThat(outcomes(topics, 4))
                .filteredOn(o -> o.getDecisionId().equals("d-3"))
                .singleElement()
                .satisfies(o -> assertThat(o.getDetail()).contains("the target refused it"));

        // A second delivery of d-1 after a restart: the applied ids come back from the outcomes.
        send(topics, List.of(Anomalies.anomaly("checkout", "d-1", Mode.ENFORCE)));
        Recording restarted = new Recording();
        try (ActuatorRunner<Anomaly> runner =
                new ActuatorRunner<>(alerts, restarted, STACK.kafka(), topics, "actuator-it-", clock)) {
            // Outcomes are keyed by decision id: those of d-1 share a partition, in the order written.
            assertThat(outcomes(topics, 5))
                    .filteredOn(o -> o.getDecisionId().equals("d-1"))
                    .extracting(ActuationOutcome::getStatus)
                    .containsExactly(OutcomeStatus.APPLIED, OutcomeStatus.DUPLICATE, OutcomeStatus.DUPLICATE);
        }
        assertThat(restarted.applied).isEmpty();
        try (TopicReader<String, ActuationOutcome> reader = reader(topics)) {
            assertThat(reader.readToEnd(Duration.ofSeconds(30)))
                    .as("one outcome per decision record")
                    .hasSize(5);
        }
    }

    private static void send(TopicBinder topics, List<Anomaly> anomalies) {
        BoundTopic<String, Anomaly> decisions = topics.bind(LogAnomalyWorkflow.DECISIONS);
        try (KafkaProducer<String, Anomaly> producer = STACK.kafka()
                .producer(
                        "actuator-it",
                        Map.of(),
                        new StringSerializer(),
                        decisions.value().serializer())) {
            // One partition, so that the outcomes come in the order sent.
            anomalies.forEach(a -> producer.send(new ProducerRecord<>(decisions.name(), 0, a.getService(), a)));
        }
    }

    private static List<ActuationOutcome> outcomes(TopicBinder topics, int count) {
        try (TopicReader<String, ActuationOutcome> reader = reader(topics)) {
            return reader.readUntil(Duration.ofSeconds(60), seen -> seen.size() >= count).stream()
                    .map(ConsumerRecord::value)
                    .toList();
        }
    }

    private static TopicReader<String, ActuationOutcome> reader(TopicBinder topics) {
        BoundTopic<String, ActuationOutcome> outcomes = topics.bind(LogAnomalyWorkflow.OUTCOMES);
        return new TopicReader<>(
                STACK.kafka(),
                outcomes.name(),
                outcomes.key().deserializer(),
                outcomes.value().deserializer());
    }
}
