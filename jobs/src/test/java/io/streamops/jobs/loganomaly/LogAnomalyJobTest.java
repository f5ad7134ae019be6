package io.streamops.jobs.loganomaly;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.common.DeadLetter;
import io.streamops.common.Mode;
import io.streamops.decisions.Anomaly;
import io.streamops.decisions.Severity;
import io.streamops.events.LogEvent;
import io.streamops.events.LogLevel;
import io.streamops.jobs.runtime.CollectingSink;
import io.streamops.jobs.runtime.KafkaRecord;
import io.streamops.schemas.registry.RegistryClients;
import io.streamops.schemas.serde.KafkaAvroSerde;
import io.streamops.schemas.testing.InMemorySchemaRegistry;
import io.streamops.schemas.testing.TestEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job's pipeline on a MiniCluster, from a bounded source of records into collecting sinks. */
class LogAnomalyJobTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** Shared with the tasks, which run in this JVM. */
    static final InMemorySchemaRegistry REGISTRY = new InMemorySchemaRegistry();

    static final RegistryClients REGISTRY_CLIENTS = () -> REGISTRY;
    static final LogAnomalyConfig CONFIG =
            new LogAnomalyConfig(Duration.ofSeconds(10), 5, Duration.ofSeconds(1), Duration.ofSeconds(1), Mode.SHADOW);

    private final KafkaAvroSerde<LogEvent> serde = new KafkaAvroSerde<>(REGISTRY, LogEvent.class, false, true);
    private final List<KafkaRecord> input = new ArrayList<>();
    private final CollectingSink<Anomaly> anomalies = new CollectingSink<>();
    private final CollectingSink<DeadLetter> rejected = new CollectingSink<>();

    @BeforeEach
    void reset() {
        Records.ALL.clear();
    }

    @Test
    void aBurstOfErrorsInOneWindowIsAnAnomalyWithItsEvidence() throws Exception {
        logs("checkout", LogLevel.ERROR, 6, BEGINNING.plusSeconds(1));

        run();

        assertThat(anomalies.collected()).singleElement().satisfies(a -> {
            assertThat(a.getService()).isEqualTo("checkout");
            assertThat(a.getSignal()).isEqualTo("error-logs");
            assertThat(a.getSeverity()).isEqualTo(Severity.WARNING);
            assertThat(a.getObserved()).isEqualTo(6.0);
            assertThat(a.getExpected()).isEqualTo(5.0);
            var envelope = a.getEnvelope();
            assertThat(envelope.getOperator()).isEqualTo("log-anomaly");
            assertThat(envelope.getPolicy().getName()).isEqualTo("error-burst");
            assertThat(envelope.getMode()).isEqualTo(Mode.SHADOW);
            assertThat(envelope.getEventTime()).isEqualTo(BEGINNING.plusSeconds(10));
            assertThat(envelope.getEvidence().getWindowStart()).isEqualTo(BEGINNING);
            assertThat(envelope.getEvidence().getMeasurements()).containsEntry("errors", 6.0);
            assertThat(envelope.getEvidence().getThresholds()).containsEntry("threshold", 5.0);
            assertThat(envelope.getEvidence().getInputs())
                    .hasSize(5)
                    .allSatisfy(ref -> assertThat(ref.getTopic()).isEqualTo("logs"));
        });
    }

    @Test
    void fewerErrorsThanTheThresholdAreNoAnomaly() throws Exception {
        logs("checkout", LogLevel.ERROR, 4, BEGINNING.plusSeconds(1));
        logs("checkout", LogLevel.INFO, 50, BEGINNING.plusSeconds(2));

        run();

        assertThat(anomalies.collected()).isEmpty();
    }

    @Test
    void servicesAndWindowsAreCountedApart() throws Exception {
        logs("checkout", LogLevel.ERROR, 3, BEGINNING.plusSeconds(8));
        logs("checkout", LogLevel.ERROR, 3, BEGINNING.plusSeconds(12));
        logs("search", LogLevel.FATAL, 20, BEGINNING.plusSeconds(3));

        run();

        assertThat(anomalies.collected()).singleElement().satisfies(a -> {
            assertThat(a.getService()).isEqualTo("search");
            assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
        });
    }

    @Test
    void anUnreadableRecordIsRejectedWithTheReasonAndTheRestIsProcessed() throws Exception {
        input.add(new KafkaRecord(
                "logs", 0, 99, BEGINNING.toEpochMilli(), "k".getBytes(), new byte[] {0, 0, 0, 0, 77, 1}));
        logs("checkout", LogLevel.ERROR, 6, BEGINNING.plusSeconds(1));

        run();

        assertThat(rejected.collected()).singleElement().satisfies(letter -> {
            assertThat(letter.getOperator()).isEqualTo("log-anomaly");
            assertThat(letter.getReason()).contains("schema id 77 is unknown");
            assertThat(letter.getOffset()).isEqualTo(99);
            assertThat(letter.getValue().array()).containsExactly(0, 0, 0, 0, 77, 1);
            assertThat(LogAnomalyJob.deadLetterKey(letter)).isEqualTo("k");
        });
        assertThat(anomalies.collected()).hasSize(1);
    }

    private void logs(String service, LogLevel level, int count, Instant at) {
        for (int i = 0; i < count; i++) {
            String id = service + "-" + level + "-" + input.size();
            LogEvent event =
                    TestEvents.log(id, at.plusMillis(i), service, level).build();
            input.add(new KafkaRecord(
                    "logs",
                    0,
                    input.size(),
                    at.plusMillis(i).toEpochMilli(),
                    service.getBytes(),
                    serde.serializer().serialize("logs", event)));
        }
    }

    private void run() throws Exception {
        Records.ALL.addAll(input);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataGeneratorSource<KafkaRecord> source =
                new DataGeneratorSource<>(Records::at, input.size(), TypeInformation.of(KafkaRecord.class));
        LogAnomalyJob.build(env, source, anomalies, rejected, CONFIG, REGISTRY_CLIENTS);
        env.execute("log-anomaly-test");
    }

    /** The bounded source's records, by index; static because the generator runs in Flink's tasks. */
    static final class Records {
        static final List<KafkaRecord> ALL = new java.util.concurrent.CopyOnWriteArrayList<>();

        static KafkaRecord at(long index) {
            return ALL.get((int) index);
        }
    }
}
