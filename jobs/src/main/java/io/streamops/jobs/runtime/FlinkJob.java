package io.streamops.jobs.runtime;

import io.streamops.schemas.config.Settings;
import io.streamops.schemas.workflow.Workflow;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink operator as the launchers see it: the operator its workflow declares, and its pipeline
 * added to an environment with Kafka sources and sinks. Its logic lives in a builder of its own that
 * takes sources and sinks as arguments. Implementations are found by {@link java.util.ServiceLoader}
 * ({@link FlinkJobs}); annotate one with {@code @AutoService(FlinkJob.class)}.
 */
public interface FlinkJob {

    /** The operator as its workflow's descriptor declares it. */
    Workflow.Operator descriptor();

    default String name() {
        return descriptor().name();
    }

    /** Reads its config from {@code settings} and adds its pipeline to {@code env}. */
    void addTo(StreamExecutionEnvironment env, Settings settings, JobContext context);
}
