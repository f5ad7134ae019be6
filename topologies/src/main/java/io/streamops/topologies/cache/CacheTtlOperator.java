package io.streamops.topologies.cache;

import com.google.auto.service.AutoService;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.topologies.runtime.StreamsOperator;
import io.streamops.workflows.cache.CacheWorkflow;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/** The cache-ttl operator of the cache workflow, as the runner finds it. */
@AutoService(StreamsOperator.class)
public final class CacheTtlOperator implements StreamsOperator {

    @Override
    public Workflow.Operator descriptor() {
        return new CacheWorkflow()
                .operators().stream()
                        .filter(o -> o.name().equals(CacheWorkflow.TTL_OPERATOR))
                        .findFirst()
                        .orElseThrow();
    }

    @Override
    public Topology topology(Settings settings, TopicBinder topics) {
        StreamsBuilder builder = new StreamsBuilder();
        CacheTtlTopology.build(builder, CacheTtlConfig.from(settings), topics);
        return builder.build();
    }
}
