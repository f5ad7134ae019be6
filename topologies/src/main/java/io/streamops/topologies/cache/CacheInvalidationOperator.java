package io.streamops.topologies.cache;

import com.google.auto.service.AutoService;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.topologies.runtime.StreamsOperator;
import io.streamops.workflows.cache.CacheWorkflow;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/** The cache-invalidation operator of the cache workflow, as the runner finds it. */
@AutoService(StreamsOperator.class)
public final class CacheInvalidationOperator implements StreamsOperator {

    @Override
    public Workflow.Operator descriptor() {
        return new CacheWorkflow().operators().get(0);
    }

    @Override
    public Topology topology(Settings settings, TopicBinder topics) {
        StreamsBuilder builder = new StreamsBuilder();
        CacheInvalidationTopology.build(builder, CacheInvalidationConfig.from(settings), topics);
        return builder.build();
    }

    @Override
    public Optional<Duration> commitInterval(Settings settings) {
        return Optional.of(settings.get(CacheWorkflow.COMMIT_INTERVAL));
    }
}
