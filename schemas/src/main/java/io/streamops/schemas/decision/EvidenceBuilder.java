package io.streamops.schemas.decision;

import io.streamops.common.Evidence;
import io.streamops.common.InputRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a decision's evidence the same way in every operator: one sentence, what was measured
 * against which thresholds, the window, and where the inputs behind it live. Start with {@link
 * Decisions#evidence}.
 */
public final class EvidenceBuilder {

    private final String summary;
    private final Map<String, Double> measurements = new LinkedHashMap<>();
    private final Map<String, Double> thresholds = new LinkedHashMap<>();
    private final List<InputRef> inputs = new ArrayList<>();
    private Instant windowStart;
    private Instant windowEnd;

    EvidenceBuilder(String summary) {
        this.summary = summary;
    }

    public EvidenceBuilder measured(String name, double value) {
        measurements.put(name, value);
        return this;
    }

    public EvidenceBuilder threshold(String name, double value) {
        thresholds.put(name, value);
        return this;
    }

    /** The window the measurements cover, start inclusive, end exclusive. */
    public EvidenceBuilder window(Instant start, Instant end) {
        this.windowStart = start;
        this.windowEnd = end;
        return this;
    }

    /** One input behind the decision: where it lives, so that it can be fetched and replayed. */
    public EvidenceBuilder input(String topic, int partition, long offset, String eventId, Instant eventTime) {
        inputs.add(InputRef.newBuilder()
                .setTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setEventId(eventId)
                .setEventTime(eventTime)
                .build());
        return this;
    }

    public Evidence build() {
        return Evidence.newBuilder()
                .setSummary(summary)
                .setMeasurements(new LinkedHashMap<>(measurements))
                .setThresholds(new LinkedHashMap<>(thresholds))
                .setWindowStart(windowStart)
                .setWindowEnd(windowEnd)
                .setInputs(new ArrayList<>(inputs))
                .build();
    }
}
