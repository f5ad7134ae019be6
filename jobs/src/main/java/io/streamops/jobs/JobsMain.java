package io.streamops.jobs;

import io.streamops.jobs.runtime.FlinkJob;
import io.streamops.jobs.runtime.FlinkJobs;
import io.streamops.jobs.runtime.JobContext;
import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.FlinkKeys;
import io.streamops.schemas.config.Settings;
import java.util.Arrays;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point on a Flink cluster, one job per submission:
 *
 * <pre>flink run -c io.streamops.jobs.JobsMain streamops-jobs-flink-job.jar \
 *   streamops.job=log-anomaly streamops.kafka.bootstrap=kafka:9092 streamops.registry.url=http://registry:8081</pre>
 *
 * Checkpointing, state backend and restart strategy come from the cluster's configuration. {@code
 * JobsMain --list} prints the jar's jobs, one per line.
 */
public final class JobsMain {

    private JobsMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--list")) {
            // For scripts that submit every job: one name per line.
            FlinkJobs.all().forEach(j -> System.out.println(j.name()));
            return;
        }
        Settings settings = Settings.load(null, System.getenv(), Arrays.asList(args));
        String name = settings.require(FlinkKeys.JOB);
        FlinkJob job = FlinkJobs.byName(name)
                .orElseThrow(() -> new ConfigException("streamops.job '" + name + "' is not one of "
                        + FlinkJobs.all().stream().map(FlinkJob::name).toList()));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        job.addTo(env, settings, JobContext.from(settings));
        env.execute("streamops-" + job.name());
    }
}
