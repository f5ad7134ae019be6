package io.streamops.benchmarks;

import io.streamops.common.Evidence;
import io.streamops.common.InputRef;
import io.streamops.common.Mode;
import io.streamops.common.PolicyRef;
import io.streamops.decisions.RateLimit;
import io.streamops.decisions.RateLimitAction;
import io.streamops.schemas.decision.Decisions;
import io.streamops.schemas.serde.KafkaAvroSerde;
import io.streamops.schemas.testing.InMemorySchemaRegistry;
import io.streamops.schemas.testing.TestEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What carrying evidence costs a decision: building a RateLimit with its envelope (derived id,
 * policy, evidence with measurements, thresholds, window and the input that tipped it) and
 * encoding it Confluent-framed, against the baseline, the same decision with empty evidence.
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class EnvelopeBenchmark {

    private static final PolicyRef POLICY = new PolicyRef("fixed-window-threshold", 1);
    private static final Instant WINDOW = TestEvents.BEGINNING;

    private Serializer<RateLimit> serializer;
    private long offset;

    @Setup
    public void setUp() {
        serializer = new KafkaAvroSerde<>(new InMemorySchemaRegistry(), RateLimit.class, false, true).serializer();
    }

    @Benchmark
    @Measures(
            value = "decision with evidence, built and encoded",
            baseline = "baselineDecisionWithoutEvidence",
            baselineLabel = "same decision, empty evidence")
    public byte[] decisionWithEvidence() {
        long at = offset++;
        Evidence evidence = Evidence.newBuilder()
                .setSummary("ip:198.51.100.7 sent 101 requests in the 10s window from " + WINDOW + "; the limit is 100")
                .setMeasurements(Map.of("count", 101.0))
                .setThresholds(Map.of("limit", 100.0))
                .setWindowStart(WINDOW)
                .setWindowEnd(WINDOW.plusSeconds(10))
                .setInputs(List.of(InputRef.newBuilder()
                        .setTopic("requests")
                        .setPartition(3)
                        .setOffset(at)
                        .setEventId("e-" + at)
                        .setEventTime(WINDOW.plusMillis(at % 10_000))
                        .build()))
                .build();
        return serializer.serialize("rate-limits", decision(evidence, at));
    }

    @Benchmark
    public byte[] baselineDecisionWithoutEvidence() {
        long at = offset++;
        Evidence none = Evidence.newBuilder()
                .setSummary("")
                .setMeasurements(Map.of())
                .setThresholds(Map.of())
                .setWindowStart(null)
                .setWindowEnd(null)
                .setInputs(List.of())
                .build();
        return serializer.serialize("rate-limits", decision(none, at));
    }

    private static RateLimit decision(Evidence evidence, long at) {
        return RateLimit.newBuilder()
                .setEnvelope(Decisions.envelope(
                        "request-rate",
                        POLICY,
                        Mode.SHADOW,
                        WINDOW.plusMillis(at % 10_000),
                        WINDOW.plusSeconds(10),
                        evidence,
                        "ip:198.51.100.7@" + WINDOW.toEpochMilli()))
                .setKey("ip:198.51.100.7")
                .setAction(RateLimitAction.THROTTLE)
                .setLimitPerSecond(10.0)
                .setExpiresAt(WINDOW.plusSeconds(10))
                .build();
    }
}
