package io.streamops.benchmarks;

import io.streamops.common.Mode;
import io.streamops.common.PolicyRef;
import io.streamops.decisions.RateLimit;
import io.streamops.decisions.RateLimitAction;
import io.streamops.gateway.RequestContext;
import io.streamops.gateway.Route;
import io.streamops.gateway.filter.Verdict;
import io.streamops.gateway.ratelimit.RateLimitFilter;
import io.streamops.gateway.view.DecisionTable;
import io.streamops.schemas.decision.Decisions;
import io.streamops.workflows.ratelimit.policy.RateLimitRules;
import io.streamops.workflows.ratelimit.policy.RulesParser;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workflow 6's cost on the request path: the rate-limit filter deciding one request (its buckets
 * under a two-rule policy, this gateway's GCRA share of each, the global limits, the IETF fields),
 * beside building the request's context alone. 100,000 client addresses in turn, three gateways
 * live, and a thousand buckets under a global limit, so that the maps are not trivially small.
 */
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RateLimitBenchmark {

    static final int CLIENTS = 100_000;
    static final RateLimitRules POLICY = RulesParser.parse("""
            domain: bench
            descriptors:
              - key: remote_address
                rate_limit: {unit: second, requests_per_unit: 100, burst: 100}
              - key: x-api-key
                rate_limit: {name: per-api-key, unit: minute, requests_per_unit: 6000}
            """);
    static final Route ROUTE = new Route("api", "/", List.of(new Route.Upstream("127.0.0.1", 1)));

    private final Clock clock = Clock.systemUTC();
    private String[] addresses;
    private RateLimitFilter filter;
    private int next;

    @Setup
    public void setUp() {
        addresses = new String[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            addresses[i] = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
        }
        DecisionTable<RateLimit> limits = new DecisionTable<>(RateLimit::getExpiresAt, clock);
        Instant later = clock.instant().plusSeconds(3_600);
        for (int i = 0; i < 1_000; i++) {
            String bucket = "bench|remote_address=192.0.2." + i;
            limits.apply(bucket, block(bucket, later));
        }
        filter = RateLimitFilter.standalone(() -> List.of(POLICY), limits, () -> 3, 1.0, Mode.ENFORCE, clock);
    }

    static RateLimit block(String bucket, Instant until) {
        return RateLimit.newBuilder()
                .setEnvelope(Decisions.envelope(
                        "request-rate",
                        new PolicyRef("gcra", 1),
                        Mode.ENFORCE,
                        until,
                        until,
                        Decisions.evidence(bucket + " over its limit").build(),
                        bucket))
                .setKey(bucket)
                .setAction(RateLimitAction.BLOCK)
                .setLimitPerSecond(100)
                .setExpiresAt(until)
                .build();
    }

    private RequestContext request() {
        String address = addresses[next++ % CLIENTS];
        return RequestContext.detached(new Get("/products/42"), ROUTE, clock.instant(), address);
    }

    @Benchmark
    @Measures(
            value = "rate-limit enforcement per request",
            baseline = "baselineRequestContext",
            baselineLabel = "the request context alone")
    public Verdict enforce() {
        return filter.onRequest(request());
    }

    @Benchmark
    public RequestContext baselineRequestContext() {
        return request();
    }

    /** A GET with no headers. */
    private record Get(String path) implements RequestContext.Line {
        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String header(String name) {
            return null;
        }
    }
}
