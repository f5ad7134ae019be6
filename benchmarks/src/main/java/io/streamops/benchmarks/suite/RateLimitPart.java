package io.streamops.benchmarks.suite;

import io.streamops.benchmarks.load.LoadGenerator;
import io.streamops.benchmarks.load.LoadResult;
import io.streamops.benchmarks.load.RequestSpec;
import io.streamops.schemas.wait.Poll;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Workflow 6 across gateway instances: how close what three instances admit together comes to what
 * the policy allows, and how soon a limit crossed on one instance refuses on all of them.
 */
final class RateLimitPart implements Part {

    /** Small enough that three gateways, the operator and the load fit on two cores with room to spare. */
    static final int RATE = 20;

    static final int BURST = 20;
    static final String POLICY = """
            domain: bench-rl
            descriptors:
              - key: remote_address
                rate_limit: {unit: second, requests_per_unit: %d, burst: %d}
              - key: x-bench-trial
                rate_limit: {unit: minute, requests_per_unit: 3, burst: 3}
            """.formatted(RATE, BURST);

    @Override
    public String name() {
        return "ratelimit";
    }

    @Override
    public String title() {
        return "Workflow 6: global rate limits across three gateway instances";
    }

    @Override
    public String method() {
        return """
                On the running platform's broker and registry, with topics of their own: the request-rate \
                operator in a JVM of its own (ENFORCE, its commit interval 20 ms) and three gateway instances, each \
                in its own JVM, under a policy of %d requests a second per client address (burst %d). \
                Accuracy: after the same load from another address to warm the instances up (the suite's warm-up \
                time), one client address sends 5× its limit, spread evenly over the three instances (an \
                open-loop load generator per instance, 10 keep-alive connections, its third of the rate on a fixed \
                schedule), for the measured time; what they admitted together (2xx) is set beside what the policy \
                allows over that time (rate × time + burst). It runs twice: with \
                the default headroom (each instance admits a third of the limit by itself), and with headroom \
                3 (each may admit the whole limit, so only the global decisions hold the sum; without them the \
                three would admit 3×). Convergence (headroom 3): per trial a new bucket (a header, 3 a minute); \
                3 requests to instance 1, then the 4th, which crosses the limit, to instance 2; from just before \
                the 4th is sent until every instance answers 429 naming the global decision, each polled in \
                turn. The baseline is the plain Kafka hop of the latency part (produce, acks=all, to a \
                read_committed consume).""".formatted(RATE, BURST);
    }

    @Override
    public Result run(Bench bench) throws Exception {
        PlatformUnderTest platform = bench.platform();
        Duration measured = bench.quick() ? Duration.ofSeconds(15) : Duration.ofSeconds(60);
        int trials = bench.quick() ? 15 : 100;
        String run = Long.toString(System.nanoTime() % 100_000);
        Path policy = Files.createDirectories(bench.work()).resolve("ratelimit-part.yaml");
        Files.writeString(policy, POLICY);
        Map<String, String> common = Map.of(
                "streamops.topic.prefix", "bench-rl-" + run + ".",
                "streamops.ratelimit.mode", "enforce",
                "streamops.gateway.trust.forwarded", "true",
                "streamops.gateway.auth.enabled", "false");
        List<Figure> figures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, String> operatorSettings = new java.util.HashMap<>(common);
        operatorSettings.put(
                "streamops.ratelimit.policy.file", policy.toAbsolutePath().toString());
        operatorSettings.put(
                "streamops.streams.state.dir",
                bench.work().resolve("rl-streams-" + run).toString());
        try (PlatformUnderTest.Instance operator =
                platform.start("bench-rl-operator", "topologies", operatorSettings)) {
            for (double headroom : List.of(1.0, 3.0)) {
                List<PlatformUnderTest.Instance> gateways = new ArrayList<>();
                try {
                    for (int i = 1; i <= 3; i++) {
                        Map<String, String> settings = new java.util.HashMap<>(common);
                        settings.put("streamops.ratelimit.local.headroom", Double.toString(headroom));
                        gateways.add(platform.start("bench-rl-" + (int) headroom + "-" + i, "gateway", settings));
                    }
                    awaitLive(gateways, 3);
                    // The same load from another client first, so that the instances are compiled and warm.
                    accuracy(gateways, "198.17." + (int) headroom + ".1", bench.warmup());
                    String client = "198.18." + (int) headroom + "." + (System.nanoTime() % 250);
                    Accuracy accuracy = accuracy(gateways, client, measured);
                    double allowed = RATE * accuracy.seconds() + BURST;
                    double ratio = accuracy.admitted() / allowed;
                    figures.add(Figure.of(
                                    name(),
                                    String.format(
                                            Locale.ROOT,
                                            "admitted by 3 instances at 5× the limit for %ds, headroom %.0f",
                                            measured.toSeconds(),
                                            headroom),
                                    accuracy.admitted(),
                                    "requests",
                                    "closer")
                            .against("allowed by the policy", allowed)
                            .target("within 5 %", Math.abs(ratio - 1) <= 0.05));
                    notes.add(String.format(
                            Locale.ROOT,
                            "Headroom %.0f: %d admitted, %d refused (or failed); answers p50 %.2f ms, p99 %.2f ms on "
                                    + "the slowest instance.",
                            headroom,
                            accuracy.admitted(),
                            accuracy.others(),
                            accuracy.runs().stream()
                                    .mapToDouble(LoadResult::p50)
                                    .max()
                                    .orElse(Double.NaN),
                            accuracy.runs().stream()
                                    .mapToDouble(LoadResult::p99)
                                    .max()
                                    .orElse(Double.NaN)));
                    if (headroom == 3.0) {
                        Histogram converged = convergence(
                                platform.bootstrap(), "bench-rl-" + run + ".", gateways, run, trials, notes);
                        double p99 = converged.getValueAtPercentile(99) / 1e6;
                        figures.add(Figure.of(
                                name(),
                                "limit crossed on one instance to 429 on all three, p50",
                                converged.getValueAtPercentile(50) / 1e6,
                                "ms",
                                "lower"));
                        figures.add(Figure.of(
                                        name(),
                                        "limit crossed on one instance to 429 on all three, p99",
                                        p99,
                                        "ms",
                                        "lower")
                                .target("p99 < 100 ms", p99 < 100));
                    }
                } finally {
                    gateways.forEach(PlatformUnderTest.Instance::close);
                }
            }
        }
        return new Result(figures, List.of(), notes);
    }

    /** Until every instance sizes its shares by {@code n} live gateways (older instances' heartbeats lapsed). */
    private static void awaitLive(List<PlatformUnderTest.Instance> gateways, int n) {
        Poll.until("every instance to see " + n + " live gateways", Duration.ofSeconds(60), () -> {
            for (PlatformUnderTest.Instance g : gateways) {
                JsonObject health;
                try {
                    health = Http.ok(Http.get("http://127.0.0.1:" + g.port() + "/health", Map.of()));
                } catch (java.io.IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                if (health.getJsonObject("filters").getJsonObject("ratelimit").getLong("liveGateways") != n) {
                    return false;
                }
            }
            return true;
        });
    }

    /** What the three instances answered: 2xx (admitted) and the rest (429s, and any failure). */
    private record Accuracy(long admitted, long others, double seconds, List<LoadResult> runs) {}

    /**
     * One client at 5× its limit, spread evenly over the instances: an open-loop load generator per
     * instance (its share of the rate, on a fixed schedule), all at once.
     */
    private static Accuracy accuracy(List<PlatformUnderTest.Instance> gateways, String client, Duration length)
            throws Exception {
        double perInstance = 5.0 * RATE / gateways.size();
        int connections = 10;
        List<CompletableFuture<LoadResult>> runs = new ArrayList<>();
        for (PlatformUnderTest.Instance gateway : gateways) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try (LoadGenerator load = new LoadGenerator()) {
                    return load.openLoop(
                            "127.0.0.1",
                            gateway.port(),
                            i -> RequestSpec.get("/open/item", Map.of("X-Forwarded-For", client)),
                            connections,
                            perInstance / connections,
                            Duration.ZERO,
                            length);
                }
            }));
        }
        List<LoadResult> results = new ArrayList<>();
        for (CompletableFuture<LoadResult> run : runs) {
            results.add(run.get(length.toSeconds() + 120, TimeUnit.SECONDS));
        }
        return new Accuracy(
                results.stream().mapToLong(LoadResult::ok).sum(),
                results.stream().mapToLong(LoadResult::errors).sum(),
                length.toNanos() / 1e9,
                results);
    }

    /** Per trial: from the request that crosses a limit to every instance refusing by the global decision. */
    private static Histogram convergence(
            String bootstrap,
            String prefix,
            List<PlatformUnderTest.Instance> gateways,
            String run,
            int trials,
            List<String> notes)
            throws Exception {
        Histogram latency = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
        Histogram decided = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
        Map<String, Long> committed = new java.util.concurrent.ConcurrentHashMap<>();
        int warmup = Math.max(2, trials / 10);
        long slowest = 0;
        try (LatencyPart.Tail tail = new LatencyPart.Tail(
                bootstrap,
                prefix + RateLimitWorkflow.DECISIONS.name(),
                r -> committed.putIfAbsent(r.key(), System.nanoTime()))) {
            for (int trial = 0; trial < warmup + trials; trial++) {
                String bucket = "t" + run + "-" + trial;
                String address = "198.19." + trial / 250 + "." + trial % 250;
                Map<String, String> from = Map.of("X-Bench-Trial", bucket, "X-Forwarded-For", address);
                for (int i = 0; i < 3; i++) {
                    Http.get(url(gateways.get(0)), from);
                }
                long crossed = System.nanoTime();
                Http.get(url(gateways.get(1)), from);
                boolean[] refusing = new boolean[gateways.size()];
                int left = gateways.size();
                long deadline = crossed + TimeUnit.SECONDS.toNanos(10);
                while (left > 0 && System.nanoTime() < deadline) {
                    for (int g = 0; g < gateways.size(); g++) {
                        if (!refusing[g]
                                && refusedGlobally(
                                        Http.get(url(gateways.get(g)), from).body(), bucket)) {
                            refusing[g] = true;
                            left--;
                        }
                    }
                }
                if (left > 0) {
                    throw new IllegalStateException("trial " + trial + ": not refused everywhere within 10 s");
                }
                long took = System.nanoTime() - crossed;
                Long read = committed.get("bench-rl|x-bench-trial=" + bucket);
                if (trial >= warmup) {
                    latency.recordValue(took);
                    slowest = Math.max(slowest, took);
                    if (read != null) {
                        decided.recordValue(Math.max(0, read - crossed));
                    }
                }
            }
        }
        notes.add(String.format(
                Locale.ROOT,
                "Convergence: %d trials (after %d to warm up), slowest %.1f ms; the decision itself was readable, "
                        + "committed, %.1f ms (p50) and %.1f ms (p99) after the crossing request was sent.",
                trials,
                warmup,
                slowest / 1e6,
                decided.getValueAtPercentile(50) / 1e6,
                decided.getValueAtPercentile(99) / 1e6));
        return latency;
    }

    private static boolean refusedGlobally(String body, String trial) {
        if (!body.startsWith("{")) {
            return false;
        }
        JsonObject answer = new JsonObject(body);
        return "global decision".equals(answer.getString("limitedBy"))
                && answer.getString("bucket", "").endsWith("x-bench-trial=" + trial);
    }

    private static String url(PlatformUnderTest.Instance gateway) {
        return "http://127.0.0.1:" + gateway.port() + "/open/item";
    }
}
