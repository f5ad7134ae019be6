package io.streamops.schemas.topics;

import static io.streamops.schemas.topics.CleanupPolicy.COMPACT;
import static io.streamops.schemas.topics.CleanupPolicy.DELETE;

import io.streamops.common.ActuationOutcome;
import io.streamops.common.DeadLetter;
import io.streamops.events.AssetFetch;
import io.streamops.events.AuthEvent;
import io.streamops.events.DbChange;
import io.streamops.events.DbQuerySample;
import io.streamops.events.Heartbeat;
import io.streamops.events.LogEvent;
import io.streamops.events.MetricSample;
import io.streamops.events.Navigation;
import io.streamops.events.RequestEvent;
import io.streamops.events.SpanEvent;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The shared event topics: what happened on the platform, read by any workflow that wants it. Keys
 * are UTF-8 strings (the entity a record is about); values are Avro records in the Confluent wire
 * format. A workflow declares its own decision, dead-letter, config and outcome topics in its
 * descriptor, with the factories below, so that their names and layout follow one convention.
 */
public final class Topics {

    private static final Duration DAY = Duration.ofDays(1);

    public static final Topic<String, RequestEvent> REQUESTS = events(
            "requests",
            RequestEvent.class,
            6,
            Duration.ofDays(7),
            false,
            "HTTP requests served by the gateway, keyed by client key");
    public static final Topic<String, AuthEvent> AUTH_EVENTS = events(
            "auth-events",
            AuthEvent.class,
            3,
            null,
            false,
            "User and session changes and sign-in attempts, keyed by email: the source of truth, kept forever");
    public static final Topic<String, LogEvent> LOGS =
            events("logs", LogEvent.class, 6, DAY.multipliedBy(3), true, "Structured log lines, keyed by service");
    public static final Topic<String, MetricSample> METRICS =
            events("metrics", MetricSample.class, 6, DAY.multipliedBy(3), true, "Metric samples, keyed by service");
    public static final Topic<String, SpanEvent> SPANS =
            events("spans", SpanEvent.class, 6, DAY.multipliedBy(3), true, "Finished spans, keyed by trace id");
    public static final Topic<String, Heartbeat> HEARTBEATS =
            events("heartbeats", Heartbeat.class, 3, DAY, true, "Heartbeats and probe results, keyed by instance");
    public static final Topic<String, DbChange> DB_CHANGES = events(
            "db-changes",
            DbChange.class,
            3,
            Duration.ofDays(7),
            true,
            "Row changes (Debezium-style), keyed by table and primary key");
    public static final Topic<String, DbQuerySample> DB_QUERY_SAMPLES = events(
            "db-query-samples",
            DbQuerySample.class,
            3,
            Duration.ofDays(7),
            true,
            "Per-query statistics samples, keyed by query id");
    public static final Topic<String, Navigation> NAVIGATIONS = events(
            "navigations",
            Navigation.class,
            3,
            DAY.multipliedBy(3),
            true,
            "Page navigations, keyed by browser session");
    public static final Topic<String, AssetFetch> ASSET_FETCHES = events(
            "asset-fetches", AssetFetch.class, 3, DAY.multipliedBy(3), true, "Static asset fetches, keyed by page");

    /** The shared event topics; {@code Workflows.topics()} adds every workflow's own. */
    public static final List<Topic<?, ?>> SHARED = List.of(
            REQUESTS,
            AUTH_EVENTS,
            LOGS,
            METRICS,
            SPANS,
            HEARTBEATS,
            DB_CHANGES,
            DB_QUERY_SAMPLES,
            NAVIGATIONS,
            ASSET_FETCHES);

    private Topics() {}

    /** A decision topic, {@code decisions.<name>}: 3 partitions, 30 days (or compacted, kept forever). */
    public static <V extends SpecificRecord> Topic<String, V> decisions(
            String name, Class<V> type, CleanupPolicy cleanup, String description) {
        Duration retention = cleanup == COMPACT ? null : Duration.ofDays(30);
        return new Topic<>(
                "decisions." + name,
                Codec.utf8(),
                Codec.avro(type),
                3,
                cleanup,
                retention,
                TopicRole.DECISION,
                false,
                description);
    }

    /** An operator's dead-letter topic, {@code dlq.<operator>}. */
    public static Topic<String, DeadLetter> deadLetters(String operator) {
        return new Topic<>(
                "dlq." + operator,
                Codec.utf8(),
                Codec.avro(DeadLetter.class),
                1,
                DELETE,
                Duration.ofDays(30),
                TopicRole.DEAD_LETTER,
                false,
                "Records the " + operator + " operator could not read or process, with the reason");
    }

    /** What actuators did with a workflow's decisions, {@code outcomes.<name>}, keyed by decision id. */
    public static Topic<String, ActuationOutcome> outcomes(String name, String description) {
        return new Topic<>(
                "outcomes." + name,
                Codec.utf8(),
                Codec.avro(ActuationOutcome.class),
                3,
                DELETE,
                Duration.ofDays(30),
                TopicRole.OUTCOME,
                false,
                description);
    }

    /** A workflow's policy or rules, {@code config.<name>}: compacted, one partition, kept forever. */
    public static <V extends SpecificRecord> Topic<String, V> config(String name, Class<V> type, String description) {
        return new Topic<>(
                "config." + name,
                Codec.utf8(),
                Codec.avro(type),
                1,
                COMPACT,
                null,
                TopicRole.CONFIG,
                false,
                description);
    }

    /**
     * An event topic. The shared ones are above; one that a single workflow reads is declared in
     * that workflow's descriptor.
     *
     * @param ingest whether producer clients may post to it ({@code /ingest/<name>})
     */
    public static <V extends SpecificRecord> Topic<String, V> events(
            String name, Class<V> type, int partitions, Duration retention, boolean ingest, String description) {
        return new Topic<>(
                name,
                Codec.utf8(),
                Codec.avro(type),
                partitions,
                DELETE,
                retention,
                TopicRole.EVENT,
                ingest,
                description);
    }
}
