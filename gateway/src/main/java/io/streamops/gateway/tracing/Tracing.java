package io.streamops.gateway.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.MultiMap;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One OpenTelemetry server span per request: continued from the client's W3C {@code traceparent}
 * when it sends one, else a new trace; passed on to the upstream in {@code traceparent}. Finished
 * spans go to the given exporter (for example to the spans topic), if any.
 */
public final class Tracing implements AutoCloseable {

    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");

    private static final TextMapGetter<MultiMap> GET = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(MultiMap carrier) {
            return carrier.names();
        }

        @Override
        public String get(MultiMap carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };
    private static final TextMapSetter<MultiMap> SET = (carrier, key, value) -> carrier.set(key, value);

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final W3CTraceContextPropagator propagator = W3CTraceContextPropagator.getInstance();

    /**
     * @param exporter where finished spans go, behind a bounded batch processor; without one they go
     *     nowhere (the SDK still needs a processor, or it hands out invalid, unpropagated spans)
     */
    public Tracing(Optional<SpanExporter> exporter) {
        SpanProcessor processor = exporter.<SpanProcessor>map(e ->
                        BatchSpanProcessor.builder(e).setMaxQueueSize(10_000).build())
                .orElseGet(() -> SimpleSpanProcessor.create(SpanExporter.composite()));
        this.provider = SdkTracerProvider.builder()
                .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
                .addSpanProcessor(processor)
                .build();
        this.tracer = provider.get("io.streamops.gateway", "0.1.0");
    }

    /** Starts the server span of a request, as a child of the caller's trace if it sent one. */
    public Span start(String method, MultiMap requestHeaders) {
        Context parent = propagator.extract(Context.root(), requestHeaders, GET);
        return tracer.spanBuilder(method)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method)
                .startSpan();
    }

    /** Sets the upstream request's traceparent to this span. */
    public void propagate(Span span, MultiMap upstreamHeaders) {
        propagator.inject(Context.root().with(span), upstreamHeaders, SET);
    }

    public static void end(Span span, String method, String route, int status) {
        span.updateName(method + " " + route);
        span.setAttribute(ROUTE, route);
        span.setAttribute(STATUS, (long) status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    /** Flushes what is queued, for at most five seconds: a missing spans topic must not hold up a stop. */
    @Override
    public void close() {
        provider.shutdown().join(5, TimeUnit.SECONDS);
    }
}
