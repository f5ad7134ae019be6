package io.streamops.schemas.testing;

import io.streamops.events.CacheStatus;
import io.streamops.events.DbChange;
import io.streamops.events.DbOp;
import io.streamops.events.DbSource;
import io.streamops.events.LogEvent;
import io.streamops.events.LogLevel;
import io.streamops.events.RequestEvent;
import java.time.Instant;
import java.util.HashMap;
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

    /**
     * A row change of {@code public.<table>} committed at {@code at}, keyed by its {@code id} column
     * (taken from the after image, or the before image of a delete).
     */
    public static DbChange dbChange(
            String eventId, String table, DbOp op, Map<String, String> before, Map<String, String> after, Instant at) {
        Map<String, String> image = after != null ? after : before;
        return DbChange.newBuilder()
                .setEventId(eventId)
                .setOp(op)
                .setBefore(before == null ? null : new HashMap<>(before))
                .setAfter(after == null ? null : new HashMap<>(after))
                .setSource(DbSource.newBuilder()
                        .setConnector("postgresql")
                        .setDatabase("test")
                        .setSchema$("public")
                        .setTable(table)
                        .setTxId(100L)
                        .setLsn(2000L)
                        .build())
                .setPrimaryKey(Map.of("id", image.get("id")))
                .setOccurredAt(at)
                .build();
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
