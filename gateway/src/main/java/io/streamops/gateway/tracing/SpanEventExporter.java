package io.streamops.gateway.tracing;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.streamops.events.SpanEvent;
import io.streamops.events.SpanStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Finished gateway spans as {@link SpanEvent}s on the spans topic, keyed by trace id, where the
 * tracing operators (workflow 10) read them. Used behind OpenTelemetry's batch processor, which
 * exports off the request path and drops spans when its bounded queue is full.
 */
public final class SpanEventExporter implements SpanExporter {

    private final Producer<String, SpanEvent> producer;
    private final String topic;
    private final String service;

    public SpanEventExporter(Producer<String, SpanEvent> producer, String topic, String service) {
        this.producer = producer;
        this.topic = topic;
        this.service = service;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        for (SpanData span : spans) {
            Map<String, String> attributes = new HashMap<>();
            span.getAttributes().forEach((k, v) -> attributes.put(k.getKey(), String.valueOf(v)));
            SpanEvent event = SpanEvent.newBuilder()
                    .setTraceId(span.getTraceId())
                    .setSpanId(span.getSpanId())
                    .setParentSpanId(span.getParentSpanContext().isValid() ? span.getParentSpanId() : null)
                    .setService(service)
                    .setName(span.getName())
                    .setKind(kind(span.getKind()))
                    .setStartTime(Instant.ofEpochMilli(TimeUnit.NANOSECONDS.toMillis(span.getStartEpochNanos())))
                    .setDurationMicros(
                            TimeUnit.NANOSECONDS.toMicros(span.getEndEpochNanos() - span.getStartEpochNanos()))
                    .setStatus(
                            switch (span.getStatus().getStatusCode()) {
                                case OK -> SpanStatus.OK;
                                case ERROR -> SpanStatus.ERROR;
                                default -> SpanStatus.UNSET;
                            })
                    .setAttributes(attributes)
                    .build();
            producer.send(new ProducerRecord<>(topic, span.getTraceId(), event));
        }
        return CompletableResultCode.ofSuccess();
    }

    private static io.streamops.events.SpanKind kind(SpanKind kind) {
        return io.streamops.events.SpanKind.valueOf(kind.name());
    }

    @Override
    public CompletableResultCode flush() {
        producer.flush();
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
