package io.streamops.jobs;

import io.streamops.jobs.runtime.FlinkJob;
import io.streamops.jobs.runtime.FlinkJobs;
import io.streamops.jobs.runtime.JobContext;
import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.FlinkKeys;
import io.streamops.schemas.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Flink job on one local MiniCluster with its web UI, submitted over the cluster's REST API
 * exactly as to a remote cluster. Run by the platform in a JVM of its own (the Kafka connector pins
 * an older kafka-clients than the broker's). Stops when stdin closes.
 */
public final class LocalFlink {

    static final String READY = "STREAMOPS-FLINK-READY";
    private static final Logger LOG = LoggerFactory.getLogger(LocalFlink.class);

    private LocalFlink() {}

    public static void main(String[] args) {
        try {
            run(args);
            System.exit(0);
        } catch (Throwable e) {
            // The MiniCluster's threads would keep a failed JVM alive: exit so the platform sees it.
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Settings settings = Settings.load(null, System.getenv(), Arrays.asList(args));
        int port = settings.get(FlinkKeys.PORT);
        Path dataDir = Path.of(settings.get(FlinkKeys.DATA_DIR));
        Configuration conf = clusterConfig(settings, port, dataDir);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(settings.get(FlinkKeys.SLOTS))
                .build());
        cluster.start();
        URI rest = cluster.getRestAddress().get();
        List<JobClient> jobs = new ArrayList<>();
        for (FlinkJob job : selected(settings)) {
            jobs.add(submit(job, settings, conf, rest, dataDir.resolve("checkpoints")));
        }
        System.out.println(READY + " " + rest);
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Thread watcher = new Thread(
                () -> {
                    try {
                        while (System.in.read() != -1) {
                            // The platform is still there.
                        }
                    } catch (IOException e) {
                        // Treated as the platform gone.
                    }
                    stop.countDown();
                },
                "stdin-watcher");
        watcher.setDaemon(true);
        watcher.start();
        stop.await();
        for (JobClient job : jobs) {
            job.cancel().get();
        }
        cluster.close();
    }

    static Configuration clusterConfig(Settings settings, int port, Path dataDir) {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, settings.get(FlinkKeys.HOST));
        conf.set(RestOptions.PORT, port);
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dataDir.resolve("checkpoints").toUri().toString());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, settings.get(FlinkKeys.CHECKPOINT_INTERVAL));
        // Kept when the platform stops, so that the next start resumes from them.
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(5));
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(256));
        return conf;
    }

    /** The jobs {@code streamops.flink.jobs} names, or all of them. */
    static List<FlinkJob> selected(Settings settings) {
        List<String> names = settings.get(FlinkKeys.JOBS);
        if (names.isEmpty()) {
            return FlinkJobs.all();
        }
        return names.stream()
                .map(n -> FlinkJobs.byName(n)
                        .orElseThrow(() -> new ConfigException("streamops.flink.jobs names '" + n + "', not one of "
                                + FlinkJobs.all().stream().map(FlinkJob::name).toList())))
                .toList();
    }

    static JobID jobId(String name) {
        UUID uuid = UUID.nameUUIDFromBytes(("streamops-" + name).getBytes(StandardCharsets.UTF_8));
        return new JobID(uuid.getLeastSignificantBits(), uuid.getMostSignificantBits());
    }

    /** The newest completed checkpoint of a job (one with its _metadata written), if any. */
    static Optional<Path> latestCheckpoint(Path jobDir) throws IOException {
        if (!Files.isDirectory(jobDir)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs.filter(d -> d.getFileName().toString().matches("chk-\\d+"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(Comparator.comparingLong(
                            d -> Long.parseLong(d.getFileName().toString().substring(4))));
        }
    }

    private static JobClient submit(FlinkJob job, Settings settings, Configuration cluster, URI rest, Path checkpoints)
            throws Exception {
        Configuration client = new Configuration(cluster);
        // A job id fixed by the job's name keeps its checkpoints in one place across restarts.
        JobID id = jobId(job.name());
        client.set(PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID, id.toHexString());
        latestCheckpoint(checkpoints.resolve(id.toHexString())).ifPresent(path -> {
            LOG.info("Job {} resumes from {}", job.name(), path);
            client.set(StateRecoveryOptions.SAVEPOINT_PATH, path.toUri().toString());
        });
        client.set(DeploymentOptions.TARGET, "remote");
        client.set(RestOptions.ADDRESS, rest.getHost());
        client.set(RestOptions.PORT, rest.getPort());
        client.set(DeploymentOptions.ATTACHED, false);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(client);
        env.setParallelism(settings.get(FlinkKeys.PARALLELISM));
        job.addTo(env, settings, JobContext.from(settings));
        JobClient submitted = env.executeAsync("streamops-" + job.name());
        LOG.info("Submitted Flink job {} as {}", job.name(), submitted.getJobID());
        return submitted;
    }
}
