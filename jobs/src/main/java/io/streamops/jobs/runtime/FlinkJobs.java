package io.streamops.jobs.runtime;

import io.streamops.schemas.workflow.Plugins;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** Every Flink job on the classpath (the shaded job jar's list), found by {@link ServiceLoader}. */
public final class FlinkJobs {

    private static final List<FlinkJob> ALL = load();

    private FlinkJobs() {}

    public static List<FlinkJob> all() {
        return ALL;
    }

    public static Optional<FlinkJob> byName(String name) {
        return ALL.stream().filter(j -> j.name().equals(name)).findFirst();
    }

    private static List<FlinkJob> load() {
        return Plugins.load(FlinkJob.class, FlinkJob::name);
    }
}
