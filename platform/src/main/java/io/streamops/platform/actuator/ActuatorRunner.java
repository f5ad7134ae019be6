package io.streamops.platform.actuator;

import io.streamops.common.ActuationOutcome;
import io.streamops.common.DecisionEnvelope;
import io.streamops.common.Mode;
import io.streamops.common.OutcomeStatus;
import io.streamops.schemas.decision.Decisions;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicView;
import io.streamops.schemas.workflow.Workflow;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one actuator its decisions and records what came of each, exactly once per decision id:
 * <ul>
 *   <li>a SHADOW decision is not applied; its outcome says it would have been;
 *   <li>an ENFORCE decision whose id was applied before (by this or an earlier run: the applied ids
 *       are rebuilt from the outcome topic at start) is skipped as a DUPLICATE;
 *   <li>any other is applied, then recorded as APPLIED, or FAILED with the reason after three tries.
 * </ul>
 * Outcomes are written in one transaction with the consumed offsets, so that a restart neither loses
 * nor repeats an outcome. Only a crash after an effect and before its transaction commits can deliver
 * that decision again; actuators pass the decision id on to targets that can deduplicate.
 */
public final class ActuatorRunner<D extends SpecificRecord> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ActuatorRunner.class);
    private static final int ATTEMPTS = 3;

    private final String name;
    private final Actuator<D> actuator;
    private final String decisionTopic;
    private final String outcomeTopic;
    private final Deserializer<D> decisions;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, ActuationOutcome> producer;
    private final Clock clock;
    private final Set<String> applied = ConcurrentHashMap.newKeySet();
    private final Map<OutcomeStatus, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param groupPrefix prefix of its consumer group and transactional id (two deployments, or a
     *     test, need their own)
     */
    @SuppressWarnings("unchecked")
    public ActuatorRunner(
            Workflow.Applier applier,
            Actuator<D> actuator,
            KafkaClients kafka,
            TopicBinder topics,
            String groupPrefix,
            Clock clock) {
        this.name = applier.name();
        this.actuator = actuator;
        this.clock = clock;
        BoundTopic<String, D> in = topics.bind((Topic<String, D>) applier.decisions());
        Topic<String, ActuationOutcome> outcomes = (Topic<String, ActuationOutcome>)
                applier.outcomes().orElseThrow(() -> new IllegalArgumentException(name + " declares no outcome topic"));
        BoundTopic<String, ActuationOutcome> out = topics.bind(outcomes);
        this.decisionTopic = in.name();
        this.outcomeTopic = out.name();
        this.decisions = in.value().deserializer();
        TopicView.readAll(
                kafka, outcomeTopic, new StringDeserializer(), out.value().deserializer(), r -> {
                    if (r.value() != null && r.value().getStatus() == OutcomeStatus.APPLIED) {
                        applied.add(r.value().getDecisionId());
                    }
                });
        String id = groupPrefix + "actuator-" + name;
        this.producer = kafka.producer(
                id,
                Map.of("transactional.id", id, "enable.idempotence", true, "acks", "all"),
                out.key().serializer(),
                out.value().serializer());
        this.producer.initTransactions();
        this.consumer = kafka.consumer(
                id,
                Map.of(
                        "group.id",
                        id,
                        "isolation.level",
                        "read_committed",
                        "enable.auto.commit",
                        false,
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(decisionTopic));
        this.thread = new Thread(this::run, "actuator-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
        LOG.info(
                "Actuator {} applies {} ({} applied before), outcomes to {}",
                name,
                decisionTopic,
                applied.size(),
                outcomeTopic);
    }

    public String name() {
        return name;
    }

    /** Outcomes recorded since start, by status. */
    public Map<OutcomeStatus, Long> counts() {
        Map<OutcomeStatus, Long> snapshot = new HashMap<>();
        counts.forEach((status, n) -> snapshot.put(status, n.get()));
        return snapshot;
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                List<ActuationOutcome> outcomes = new ArrayList<>();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    outcomes.add(handle(record));
                    offsets.put(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                producer.beginTransaction();
                outcomes.forEach(o -> producer.send(new ProducerRecord<>(outcomeTopic, o.getDecisionId(), o)));
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
                outcomes.forEach(o -> counts.computeIfAbsent(o.getStatus(), s -> new AtomicLong())
                        .incrementAndGet());
            }
        } catch (WakeupException e) {
            // Closing.
        } catch (RuntimeException e) {
            LOG.error("Actuator {} stopped: {}", name, e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
            producer.close(Duration.ofSeconds(5));
        }
    }

    private ActuationOutcome handle(ConsumerRecord<String, byte[]> record) {
        D decision;
        try {
            decision = decisions.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            String where = record.topic() + "-" + record.partition() + "@" + record.offset();
            LOG.warn("Actuator {}: unreadable decision {}: {}", name, where, e.toString());
            return outcome(
                    where,
                    record.key(),
                    Mode.SHADOW,
                    OutcomeStatus.FAILED,
                    "unreadable decision: " + e.getMessage(),
                    null);
        }
        DecisionEnvelope envelope = Decisions.envelopeOf(decision);
        Outcomes.Step step = Outcomes.next(envelope, applied);
        if (step == Outcomes.Step.SHADOW) {
            return outcome(envelope, record.key(), OutcomeStatus.SHADOW, "shadow mode: would have applied");
        }
        if (step == Outcomes.Step.DUPLICATE) {
            return outcome(envelope, record.key(), OutcomeStatus.DUPLICATE, "applied before");
        }
        String failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                String detail = actuator.apply(record.key(), decision);
                applied.add(envelope.getDecisionId());
                return outcome(envelope, record.key(), OutcomeStatus.APPLIED, detail);
            } catch (Exception e) {
                failure = e.toString();
                LOG.warn("Actuator {}: attempt {} at {} failed: {}", name, attempt, envelope.getDecisionId(), failure);
                backOff(attempt);
            }
        }
        return outcome(envelope, record.key(), OutcomeStatus.FAILED, "failed " + ATTEMPTS + " times: " + failure);
    }

    private static void backOff(int attempt) {
        if (attempt < ATTEMPTS) {
            try {
                Thread.sleep(500L << (attempt - 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ActuationOutcome outcome(DecisionEnvelope envelope, String key, OutcomeStatus status, String detail) {
        return outcome(envelope.getDecisionId(), key, envelope.getMode(), status, detail, envelope);
    }

    private ActuationOutcome outcome(
            String decisionId, String key, Mode mode, OutcomeStatus status, String detail, DecisionEnvelope envelope) {
        return ActuationOutcome.newBuilder()
                .setOutcomeId(UUID.randomUUID().toString())
                .setDecisionId(decisionId)
                .setDecisionTopic(decisionTopic)
                .setDecisionKey(key)
                .setActuator(name)
                .setMode(mode)
                .setStatus(status)
                .setDetail(detail)
                .setDecidedAt(envelope == null ? clock.instant() : envelope.getDecisionTime())
                .setHandledAt(clock.instant())
                .build();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        actuator.close();
    }
}
