package io.streamops.topologies.batching;

import io.streamops.common.Mode;
import io.streamops.common.PolicyRef;
import io.streamops.schemas.config.Settings;
import io.streamops.workflows.batching.BatchingWorkflow;
import io.streamops.workflows.batching.Coalesce;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Config of the write-batching operator. Its window is a quarter of the latency budget: an intent
 * waits at most that long for its flush, and as long again for the commit that makes its batch
 * visible; the other half is the sink's.
 *
 * @param tables the tables intents may write (schema.table)
 */
public record WriteBatchingConfig(Mode mode, Duration budget, int maxRows, Set<String> tables) {

    public static final PolicyRef POLICY = new PolicyRef("coalesce-by-row", 1);

    public static WriteBatchingConfig from(Settings settings) {
        settings.validate(List.of(new BatchingWorkflow().config()));
        return new WriteBatchingConfig(
                settings.get(BatchingWorkflow.MODE),
                settings.get(BatchingWorkflow.BUDGET),
                settings.get(BatchingWorkflow.MAX_ROWS),
                settings.get(BatchingWorkflow.TABLES).stream()
                        .map(Coalesce::table)
                        .collect(Collectors.toUnmodifiableSet()));
    }

    public Duration window() {
        return budget.dividedBy(4);
    }
}
