package io.streamops.schemas.config;

import io.streamops.schemas.topics.TopicNaming;
import java.time.Duration;
import java.util.List;

/**
 * The keys of the platform's Flink part, read both by the platform (which validates them before it
 * starts anything) and by the jobs in their own JVM or on a cluster.
 */
public final class FlinkKeys {

    public static final ConfigKey<String> REST = ConfigKey.string(
                    "streamops.flink.rest", null, "a Flink cluster's REST URL: jobs are submitted there instead")
            .defaultDoc("(local MiniCluster)");
    public static final ConfigKey<Integer> PORT =
            ConfigKey.integer("streamops.flink.port", 8082, "local MiniCluster web UI and REST port");
    public static final ConfigKey<String> HOST = ConfigKey.string(
            "streamops.flink.host", "127.0.0.1", "address the local MiniCluster's REST API listens on");
    public static final ConfigKey<Integer> SLOTS = ConfigKey.integer(
                    "streamops.flink.slots", 8, "task slots of the local MiniCluster")
            .check(n -> n >= 1, "must be at least 1");
    public static final ConfigKey<Integer> PARALLELISM = ConfigKey.integer(
                    "streamops.flink.parallelism", 2, "parallelism of local jobs")
            .check(n -> n >= 1, "must be at least 1");
    public static final ConfigKey<Duration> CHECKPOINT_INTERVAL = ConfigKey.duration(
                    "streamops.flink.checkpoint.interval",
                    Duration.ofSeconds(5),
                    "checkpoint interval of local jobs: how long a decision can wait for its transaction to commit")
            .check(d -> !d.isNegative() && !d.isZero(), "must be positive");
    public static final ConfigKey<List<String>> JOBS = ConfigKey.list(
                    "streamops.flink.jobs", null, "jobs to run (comma-separated names)")
            .defaultDoc("(every job of every workflow)");
    public static final ConfigKey<String> DATA_DIR = ConfigKey.string(
                    "streamops.flink.data.dir", "data/flink", "where local jobs keep checkpoints")
            .defaultDoc("(data dir)/flink");
    public static final ConfigKey<String> GROUP_PREFIX = ConfigKey.string(
                    "streamops.flink.group.prefix",
                    null,
                    "prefix of each job's consumer group and transactional ids (two deployments on one cluster, "
                            + "with topic prefixes of their own, get groups of their own)")
            .defaultDoc("streamops-(topic prefix)");

    /** The group prefix in force: as set, or {@code streamops-} and the topic prefix. */
    public static String groupPrefix(Settings settings) {
        return settings.find(GROUP_PREFIX).orElse("streamops-" + settings.get(TopicNaming.PREFIX));
    }

    public static final ConfigKey<String> JOB = ConfigKey.string(
            "streamops.job", null, "the one job a submission of the job jar runs (JobsMain's argument on a cluster)");

    public static final ConfigGroup KEYS = ConfigGroup.of(
            "Flink jobs",
            "streamops.flink.",
            REST,
            PORT,
            HOST,
            SLOTS,
            PARALLELISM,
            CHECKPOINT_INTERVAL,
            JOBS,
            DATA_DIR,
            GROUP_PREFIX,
            JOB);

    private FlinkKeys() {}
}
