package io.streamops.topologies.batching;

import com.google.auto.service.AutoService;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.topologies.runtime.StreamsOperator;
import io.streamops.workflows.batching.BatchingWorkflow;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/** The write-batching operator of the batching workflow, as the runner finds it. */
@AutoService(StreamsOperator.class)
public final class WriteBatchingOperator implements StreamsOperator {

    @Override
    public Workflow.Operator descriptor() {
        return new BatchingWorkflow().operators().get(0);
    }

    @Override
    public Topology topology(Settings settings, TopicBinder topics) {
        StreamsBuilder builder = new StreamsBuilder();
        WriteBatchingTopology.build(builder, WriteBatchingConfig.from(settings), topics);
        return builder.build();
    }

    /** Under exactly-once a batch is visible when its transaction commits: as often as the window. */
    @Override
    public Optional<Duration> commitInterval(Settings settings) {
        return Optional.of(WriteBatchingConfig.from(settings).window());
    }
}
