package io.streamops.topologies.ratelimit;

import io.streamops.common.Evidence;
import io.streamops.decisions.RateLimit;
import io.streamops.decisions.RateLimitAction;
import io.streamops.events.RequestEvent;
import io.streamops.schemas.decision.Decisions;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Counts one client's requests per window in a window store whose retention is the window plus its
 * grace: expired windows are dropped by the store itself, so the state stays bounded.
 */
final class RequestRateProcessor implements Processor<String, RequestEvent, String, RateLimit> {

    private final RequestRateConfig config;
    private final long windowMs;
    private ProcessorContext<String, RateLimit> context;
    private WindowStore<String, Long> counts;

    RequestRateProcessor(RequestRateConfig config) {
        this.config = config;
        this.windowMs = config.window().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, RateLimit> context) {
        this.context = context;
        this.counts = context.getStateStore(RequestRateTopology.STORE);
    }

    @Override
    public void process(Record<String, RequestEvent> record) {
        RequestEvent request = record.value();
        if (request == null) {
            return;
        }
        String key = RequestRateTopology.clientKey(request);
        long eventTime = record.timestamp();
        long windowStart = eventTime - Math.floorMod(eventTime, windowMs);
        Long previous = counts.fetch(key, windowStart);
        long count = (previous == null ? 0 : previous) + 1;
        counts.put(key, count, windowStart);
        if (count == config.limit() + 1) {
            context.forward(new Record<>(key, decide(key, request, count, windowStart), record.timestamp()));
        }
    }

    private RateLimit decide(String key, RequestEvent trigger, long count, long windowStart) {
        Instant start = Instant.ofEpochMilli(windowStart);
        Instant end = Instant.ofEpochMilli(windowStart + windowMs);
        RecordMetadata source = context.recordMetadata().orElseThrow();
        Evidence evidence = Decisions.evidence(String.format(
                        "%s sent %d requests in the %ds window from %s; the limit is %d",
                        key, count, config.window().toSeconds(), start, config.limit()))
                .measured("count", count)
                .threshold("limit", config.limit())
                .window(start, end)
                .input(
                        source.topic(),
                        source.partition(),
                        source.offset(),
                        trigger.getEventId(),
                        trigger.getOccurredAt())
                .build();
        return RateLimit.newBuilder()
                .setEnvelope(Decisions.envelope(
                        RequestRateTopology.NAME,
                        RequestRateTopology.POLICY,
                        config.mode(),
                        trigger.getOccurredAt(),
                        Instant.ofEpochMilli(context.currentSystemTimeMs()),
                        evidence,
                        key + "@" + windowStart))
                .setKey(key)
                .setAction(RateLimitAction.THROTTLE)
                .setLimitPerSecond((double) config.limit() * 1000 / windowMs)
                .setExpiresAt(end)
                .build();
    }
}
