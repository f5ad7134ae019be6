package io.streamops.topologies.ratelimit;

import com.google.auto.service.AutoService;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.topologies.runtime.StreamsOperator;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/** The request-rate operator of the rate-limiting workflow, as the runner finds it. */
@AutoService(StreamsOperator.class)
public final class RequestRateOperator implements StreamsOperator {

    @Override
    public Workflow.Operator descriptor() {
        return new RateLimitWorkflow().operators().get(0);
    }

    @Override
    public Topology topology(Settings settings, TopicBinder topics) {
        StreamsBuilder builder = new StreamsBuilder();
        RequestRateTopology.build(builder, RequestRateConfig.from(settings), topics);
        return builder.build();
    }

    @Override
    public Optional<Duration> commitInterval(Settings settings) {
        return Optional.of(settings.get(RateLimitWorkflow.COMMIT_INTERVAL));
    }
}
