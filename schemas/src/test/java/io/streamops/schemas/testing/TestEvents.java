package io.streamops.schemas.testing;

import io.streamops.events.CacheStatus;
import io.streamops.events.LogEvent;
import io.streamops.events.LogLevel;
import io.streamops.events.RequestEvent;
import java.time.Instant;
import java.util.Map;

/** Test data from fixed instants, shared by every module's tests. */
public final class TestEvents {

    /** The instant every test's clock starts at. */
    public static final Instant BEGINNING = Instant.parse("2026-01-05T09:00:00Z");

    private TestEvents() {}

    public static RequestEvent.Builder request(String eventId, Instant at) {
        return RequestEvent.newBuilder()
                .setEventId(eventId)
                .setOccurredAt(at)
                .setGatewayId("gw-test")
                .setMethod("GET")
                .setRoute("api")
                .setPath("/api/items")
                .setStatus(200)
                .setLatencyMicros(850)
                .setBytesIn(0)
                .setBytesOut(512)
                .setPrincipal(null)
                .setClientAddress("192.0.2.10")
                .setCacheStatus(CacheStatus.NONE)
                .setTraceId(null)
                .setUpstream("127.0.0.1:9000")
                .setUserAgent("test");
    }

    public static LogEvent.Builder log(String eventId, Instant at, String service, LogLevel level) {
        return LogEvent.newBuilder()
                .setEventId(eventId)
                .setOccurredAt(at)
                .setService(service)
                .setInstance(service + "-1")
                .setLevel(level)
                .setLogger("app")
                .setMessage(level + " from " + service)
                .setTraceId(null)
                .setAttributes(Map.of());
    }
}
