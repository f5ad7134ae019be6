package io.streamops.jobs.runtime;

import io.streamops.jobs.loganomaly.LogAnomalyJob;
import java.util.List;
import java.util.Optional;

/** Every Flink operator the platform runs. */
public final class FlinkJobs {

    public static final List<FlinkJob> ALL = List.of(LogAnomalyJob.JOB);

    private FlinkJobs() {}

    public static Optional<FlinkJob> byName(String name) {
        return ALL.stream().filter(j -> j.name().equals(name)).findFirst();
    }
}
