package io.streamops.schemas.topics;

import static io.streamops.schemas.topics.CleanupPolicy.COMPACT;
import static io.streamops.schemas.topics.CleanupPolicy.DELETE;

import io.streamops.common.DeadLetter;
import io.streamops.decisions.Anomaly;
import io.streamops.decisions.CacheInvalidation;
import io.streamops.decisions.IndexRecommendation;
import io.streamops.decisions.PreloadHint;
import io.streamops.decisions.RateLimit;
import io.streamops.decisions.RestartCommand;
import io.streamops.decisions.ScalingDecision;
import io.streamops.decisions.SigningKey;
import io.streamops.decisions.SlowService;
import io.streamops.decisions.TraceSummary;
import io.streamops.decisions.WriteBatch;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The topic registry: every topic the pipeline reads or writes, declared once. Keys are UTF-8
 * strings (the entity a record is about); values are Avro records in the Confluent wire format.
 * A workflow adds its input, decision and dead-letter topics here and to {@link #ALL}.
 */
public final class Topics {

    private static final Duration DAY = Duration.ofDays(1);

    // Events: what happened on the platform.
    public static final Topic<String, RequestEvent> REQUESTS = events(
            "requests",
            RequestEvent.class,
            6,
            Duration.ofDays(7),
            "HTTP requests served by the gateway, keyed by client key");
    public static final Topic<String, AuthEvent> AUTH_EVENTS = events(
            "auth-events",
            AuthEvent.class,
            3,
            null,
            "User and session changes, keyed by email: the source of truth, kept forever");
    public static final Topic<String, LogEvent> LOGS =
            events("logs", LogEvent.class, 6, DAY.multipliedBy(3), "Structured log lines, keyed by service");
    public static final Topic<String, MetricSample> METRICS =
            events("metrics", MetricSample.class, 6, DAY.multipliedBy(3), "Metric samples, keyed by service");
    public static final Topic<String, SpanEvent> SPANS =
            events("spans", SpanEvent.class, 6, DAY.multipliedBy(3), "Finished spans, keyed by trace id");
    public static final Topic<String, Heartbeat> HEARTBEATS =
            events("heartbeats", Heartbeat.class, 3, DAY, "Heartbeats and probe results, keyed by instance");
    public static final Topic<String, DbChange> DB_CHANGES = events(
            "db-changes",
            DbChange.class,
            3,
            Duration.ofDays(7),
            "Row changes (Debezium-style), keyed by table and primary key");
    public static final Topic<String, DbQuerySample> DB_QUERY_SAMPLES = events(
            "db-query-samples",
            DbQuerySample.class,
            3,
            Duration.ofDays(7),
            "Per-query statistics samples, keyed by query id");
    public static final Topic<String, Navigation> NAVIGATIONS = events(
            "navigations", Navigation.class, 3, DAY.multipliedBy(3), "Page navigations, keyed by browser session");
    public static final Topic<String, AssetFetch> ASSET_FETCHES =
            events("asset-fetches", AssetFetch.class, 3, DAY.multipliedBy(3), "Static asset fetches, keyed by page");

    // Decisions: what the operators decided, each with its evidence.
    public static final Topic<String, WriteBatch> WRITE_BATCHES =
            decisions("write-batches", WriteBatch.class, DELETE, "Workflow 1: coalesced writes, keyed by table");
    public static final Topic<String, CacheInvalidation> CACHE_INVALIDATIONS = decisions(
            "cache-invalidations", CacheInvalidation.class, DELETE, "Workflow 2: cache invalidations, keyed by table");
    public static final Topic<String, Anomaly> ANOMALIES = decisions(
            "anomalies", Anomaly.class, DELETE, "Workflow 3: anomalies in logs and metrics, keyed by service");
    public static final Topic<String, ScalingDecision> SCALING =
            decisions("scaling", ScalingDecision.class, DELETE, "Workflow 4: replica counts, keyed by service");
    public static final Topic<String, IndexRecommendation> INDEX_RECOMMENDATIONS = decisions(
            "index-recommendations", IndexRecommendation.class, DELETE, "Workflow 5: index advice, keyed by table");
    public static final Topic<String, RateLimit> RATE_LIMITS =
            decisions("rate-limits", RateLimit.class, DELETE, "Workflow 6: limits, keyed by client key");
    public static final Topic<String, RestartCommand> RESTARTS =
            decisions("restarts", RestartCommand.class, DELETE, "Workflow 7: restart commands, keyed by instance");
    public static final Topic<String, PreloadHint> PRELOAD_HINTS =
            decisions("preload-hints", PreloadHint.class, COMPACT, "Workflow 8: preload hints, latest per page");
    public static final Topic<String, SigningKey> SIGNING_KEYS =
            decisions("signing-keys", SigningKey.class, COMPACT, "Workflow 9: JWT signing keys, latest per kid");
    public static final Topic<String, TraceSummary> TRACE_SUMMARIES =
            decisions("trace-summaries", TraceSummary.class, DELETE, "Workflow 10: trace summaries, keyed by trace id");
    public static final Topic<String, SlowService> SLOW_SERVICES =
            decisions("slow-services", SlowService.class, DELETE, "Workflow 10: slow-service alerts, keyed by service");

    // Dead letters: one topic per operator.
    public static final Topic<String, DeadLetter> REQUEST_RATE_DLQ = deadLetters("request-rate");
    public static final Topic<String, DeadLetter> LOG_ANOMALY_DLQ = deadLetters("log-anomaly");

    public static final List<Topic<?, ?>> ALL = List.of(
            REQUESTS,
            AUTH_EVENTS,
            LOGS,
            METRICS,
            SPANS,
            HEARTBEATS,
            DB_CHANGES,
            DB_QUERY_SAMPLES,
            NAVIGATIONS,
            ASSET_FETCHES,
            WRITE_BATCHES,
            CACHE_INVALIDATIONS,
            ANOMALIES,
            SCALING,
            INDEX_RECOMMENDATIONS,
            RATE_LIMITS,
            RESTARTS,
            PRELOAD_HINTS,
            SIGNING_KEYS,
            TRACE_SUMMARIES,
            SLOW_SERVICES,
            REQUEST_RATE_DLQ,
            LOG_ANOMALY_DLQ);

    private static final Map<String, Topic<?, ?>> BY_NAME = index(ALL);

    private Topics() {}

    /** The declared topic of that name, if any. */
    public static Optional<Topic<?, ?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    private static String deadLetterTopicName(String operator) {
        return "dlq." + operator;
    }

    private static <V extends SpecificRecord> Topic<String, V> events(
            String name, Class<V> type, int partitions, Duration retention, String description) {
        return new Topic<>(name, Codec.utf8(), Codec.avro(type), partitions, DELETE, retention, description);
    }

    private static <V extends SpecificRecord> Topic<String, V> decisions(
            String name, Class<V> type, CleanupPolicy cleanup, String description) {
        Duration retention = cleanup == COMPACT ? null : Duration.ofDays(30);
        return new Topic<>("decisions." + name, Codec.utf8(), Codec.avro(type), 3, cleanup, retention, description);
    }

    private static Topic<String, DeadLetter> deadLetters(String operator) {
        return new Topic<>(
                deadLetterTopicName(operator),
                Codec.utf8(),
                Codec.avro(DeadLetter.class),
                1,
                DELETE,
                Duration.ofDays(30),
                "Records the " + operator + " operator could not read or process, with the reason");
    }

    private static Map<String, Topic<?, ?>> index(List<Topic<?, ?>> topics) {
        Map<String, Topic<?, ?>> byName = new LinkedHashMap<>();
        for (Topic<?, ?> t : topics) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalStateException("topic declared twice: " + t.name());
            }
        }
        return Map.copyOf(byName);
    }
}
