package io.streamops.jobs;

import io.streamops.jobs.runtime.FlinkJob;
import io.streamops.jobs.runtime.FlinkJobs;
import io.streamops.jobs.runtime.JobContext;
import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.FlinkKeys;
import io.streamops.schemas.config.Settings;
import java.time.Duration;
import java.util.Arrays;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One job over its inputs' whole history, on a MiniCluster of its own, to the inputs' current end:
 * the Flink half of {@code streamops replay}. The platform runs it in a child JVM with the replay's
 * settings (its own consumer-group prefix, its outputs renamed to the replay's topics) and waits for
 * it to exit. Sinks stay exactly-once: the final checkpoint of the finished job commits them.
 */
public final class FlinkReplay {

    public static final String DONE = "STREAMOPS-REPLAY-DONE";

    private FlinkReplay() {}

    public static void main(String[] args) {
        try {
            run(Settings.load(null, System.getenv(), Arrays.asList(args)));
            System.out.println(DONE);
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    static void run(Settings settings) throws Exception {
        String name = settings.require(FlinkKeys.JOB);
        FlinkJob job = FlinkJobs.byName(name)
                .orElseThrow(() -> new ConfigException("no Flink job '" + name + "'; jobs are "
                        + FlinkJobs.all().stream().map(FlinkJob::name).toList()));
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        env.setParallelism(settings.get(FlinkKeys.PARALLELISM));
        job.addTo(env, settings, JobContext.from(settings).toCurrentEnd());
        env.execute("streamops-replay-" + job.name());
    }
}
