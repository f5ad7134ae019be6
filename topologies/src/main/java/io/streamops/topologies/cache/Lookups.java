package io.streamops.topologies.cache;

import io.streamops.cache.CacheLookup;
import io.streamops.events.CacheStatus;
import io.streamops.events.RequestEvent;
import io.streamops.workflows.cache.CacheWorkflow;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The lookups among the request events: a hit or a miss on a route a gateway caches (its event
 * carries the TTL the gateway applied), keyed by route, with where the event lives for the evidence.
 * Bypasses (a non-GET, a client's no-store) are not lookups.
 */
final class Lookups implements Processor<String, RequestEvent, String, CacheLookup> {

    private ProcessorContext<String, CacheLookup> context;

    @Override
    public void init(ProcessorContext<String, CacheLookup> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, RequestEvent> record) {
        RequestEvent request = record.value();
        if (request == null
                || (request.getCacheStatus() != CacheStatus.HIT && request.getCacheStatus() != CacheStatus.MISS)) {
            return;
        }
        String ttl = request.getAttributes().get(CacheWorkflow.TTL_ATTRIBUTE);
        if (ttl == null) {
            return;
        }
        long ttlMillis;
        try {
            ttlMillis = Long.parseLong(ttl);
        } catch (NumberFormatException e) {
            return;
        }
        RecordMetadata source = context.recordMetadata().orElseThrow();
        context.forward(new Record<>(
                request.getRoute(),
                CacheLookup.newBuilder()
                        .setRoute(request.getRoute())
                        .setKey(request.getPath())
                        .setHit(request.getCacheStatus() == CacheStatus.HIT)
                        .setTtlMillis(ttlMillis)
                        .setEventId(request.getEventId())
                        .setOccurredAt(request.getOccurredAt())
                        .setTopic(source.topic())
                        .setPartition(source.partition())
                        .setOffset(source.offset())
                        .build(),
                record.timestamp()));
    }
}
