package io.streamops.benchmarks.suite;

import io.streamops.benchmarks.load.LoadGenerator;
import io.streamops.benchmarks.load.LoadResult;
import io.streamops.benchmarks.load.RequestSpec;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/** The gateway's authenticated proxy route under open-loop and closed-loop load, beside nginx. */
final class GatewayLoadPart implements Part {

    private static final int USERS = 100;
    private static final int CLOSED_LOOP_CONNECTIONS = 64;
    private static final int TARGET_CONNECTIONS = 7_500;

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public String title() {
        return "Gateway load: an authenticated proxy route against nginx proxy_pass";
    }

    @Override
    public String method() {
        return """
                The whole local platform runs (broker, registry, Kafka Streams operators, Flink MiniCluster, \
                gateway) as `./streamops up` starts it, in its own JVM. The load targets `GET /app/item`, a route \
                that requires a JWT (EdDSA, one of %d users' tokens per connection), proxies to an nginx upstream \
                that answers 200, and publishes a request event to Kafka per request. The baseline is nginx's own \
                `proxy_pass` (Debian package, `worker_processes auto`, upstream keep-alive) to the same upstream, \
                measured in the same run with the same requests. **Open loop**: each connection is one user \
                sending one request per second on its own keep-alive connection, staggered evenly; latency \
                counts from when a request was due, not when it went out, so a stall is charged for every request \
                it delayed (coordinated omission corrected, HdrHistogram). **Closed loop**: %d connections each \
                send the next request as soon as the previous is answered, which finds the maximum throughput. \
                Before anything is measured the platform settles (under a fifth of a core for 3 s after starting) \
                and the gateway's route gets twice the warm-up of unmeasured closed-loop load, for its JIT; every \
                measurement then has its own warm-up. The load generator is one Vert.x event-loop thread in the suite's JVM, on the same 2 cores as \
                everything it measures; errors are non-2xx answers, failed connections and 10 s timeouts.""".formatted(USERS, CLOSED_LOOP_CONNECTIONS);
    }

    @Override
    public Result run(Bench bench) throws Exception {
        Nginx nginx = bench.nginx();
        PlatformUnderTest platform = bench.platform();
        String gatewayUrl = "http://127.0.0.1:" + platform.gatewayPort();
        List<String> jwts = Users.jwts(gatewayUrl, "load", USERS);
        IntFunction<RequestSpec> request =
                i -> RequestSpec.get("/app/item", Map.of("Authorization", "Bearer " + jwts.get(i % jwts.size())));
        LoadGenerator load = bench.load();
        // The gateway's request path is compiled under load before anything is measured (nginx has no JIT to warm).
        load.closedLoop(
                "127.0.0.1",
                platform.gatewayPort(),
                request,
                CLOSED_LOOP_CONNECTIONS,
                Duration.ZERO,
                bench.warmup().multipliedBy(2));
        JsonObject before = health(gatewayUrl);

        List<Figure> figures = new ArrayList<>();
        List<Curve.Point> gatewayP50 = new ArrayList<>();
        List<Curve.Point> gatewayP99 = new ArrayList<>();
        List<Curve.Point> nginxP50 = new ArrayList<>();
        List<Curve.Point> nginxP99 = new ArrayList<>();
        int[] levels =
                bench.quick() ? new int[] {750, TARGET_CONNECTIONS} : new int[] {750, 2_500, 5_000, TARGET_CONNECTIONS};
        for (int connections : levels) {
            LoadResult baseline = load.openLoop(
                    "127.0.0.1", nginx.proxyPort(), request, connections, 1.0, bench.warmup(), bench.measure());
            System.out.println("  nginx     " + baseline);
            LoadResult gateway = load.openLoop(
                    "127.0.0.1", platform.gatewayPort(), request, connections, 1.0, bench.warmup(), bench.measure());
            System.out.println("  streamops " + gateway);
            String at = String.format(Locale.ROOT, " at %,d connections", connections);
            figures.add(latency("p50" + at, gateway.p50(), baseline.p50()));
            Figure p95 = latency("p95" + at, gateway.p95(), baseline.p95());
            figures.add(connections == TARGET_CONNECTIONS ? p95.target("p95 < 10 ms", gateway.p95() < 10) : p95);
            figures.add(latency("p99" + at, gateway.p99(), baseline.p99()));
            figures.add(latency("p99.9" + at, gateway.p999(), baseline.p999()));
            figures.add(Figure.of(name(), "answered" + at, gateway.throughput(), "req/s", "higher")
                    .against("nginx", baseline.throughput()));
            figures.add(Figure.of(name(), "errors" + at, gateway.errors(), "requests", "lower")
                    .against("nginx", baseline.errors()));
            gatewayP50.add(new Curve.Point(connections, gateway.p50()));
            gatewayP99.add(new Curve.Point(connections, gateway.p99()));
            nginxP50.add(new Curve.Point(connections, baseline.p50()));
            nginxP99.add(new Curve.Point(connections, baseline.p99()));
        }

        LoadResult baseline = load.closedLoop(
                "127.0.0.1", nginx.proxyPort(), request, CLOSED_LOOP_CONNECTIONS, bench.warmup(), bench.measure());
        System.out.println("  nginx     " + baseline);
        LoadResult gateway = load.closedLoop(
                "127.0.0.1", platform.gatewayPort(), request, CLOSED_LOOP_CONNECTIONS, bench.warmup(), bench.measure());
        System.out.println("  streamops " + gateway);
        String closed = String.format(Locale.ROOT, ", closed loop, %d connections", CLOSED_LOOP_CONNECTIONS);
        double ratio = gateway.throughput() / baseline.throughput();
        figures.add(Figure.of(name(), "maximum throughput" + closed, gateway.throughput(), "req/s", "higher")
                .against("nginx", baseline.throughput())
                .target("≥ 1.0× nginx", ratio >= 1.0));
        figures.add(latency("p99" + closed, gateway.p99(), baseline.p99()));
        figures.add(Figure.of(name(), "errors" + closed, gateway.errors(), "requests", "lower")
                .against("nginx", baseline.errors()));

        JsonObject after = health(gatewayUrl);
        List<String> notes = List.of(String.format(
                Locale.ROOT,
                "Request events during this part: %,d published to Kafka, %,d dropped, %,d failed (gateway /health).",
                delta(before, after, "published"),
                delta(before, after, "dropped"),
                delta(before, after, "failed")));
        return new Result(
                figures,
                List.of(
                        new Curve("streamops p50", gatewayP50),
                        new Curve("streamops p99", gatewayP99),
                        new Curve("nginx p50", nginxP50),
                        new Curve("nginx p99", nginxP99)),
                notes);
    }

    private Figure latency(String name, double gateway, double nginx) {
        return Figure.of(name(), name, gateway, "ms", "lower").against("nginx", nginx);
    }

    private static JsonObject health(String gatewayUrl) throws Exception {
        return Http.ok(Http.get(gatewayUrl + "/health", Map.of())).getJsonObject("requestEvents");
    }

    private static long delta(JsonObject before, JsonObject after, String key) {
        return after.getLong(key) - before.getLong(key);
    }
}
