package io.streamops.jobs.runtime;

import io.streamops.schemas.config.Settings;
import io.streamops.schemas.topics.Topic;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A Flink operator as the launchers see it: a name, its topics, and its pipeline added to an
 * environment with Kafka sources and sinks. Its logic lives in a builder of its own that takes
 * sources and sinks as arguments; this is the seam a workflow plugs into ({@link FlinkJobs#ALL}).
 */
public interface FlinkJob {

    String name();

    /** Topics it reads and writes, its dead-letter topic included (as declared). */
    List<Topic<?, ?>> topics();

    /** Reads and validates its config from {@code settings} and adds its pipeline to {@code env}. */
    void addTo(StreamExecutionEnvironment env, Settings settings, JobContext context);
}
