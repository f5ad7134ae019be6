package io.streamops.benchmarks.suite;

import io.streamops.platform.cache.ChangeCapture;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.wait.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Workflow 2 on the running platform: a table of 10,000 rows in PostgreSQL behind two gateways,
 * read with a Zipf skew while 5 % of the operations change rows; its hit rate, read latency and
 * stale reads beside a TTL-only cache of the same size on the same gateways, and how soon a change
 * committed in PostgreSQL is no longer served by either gateway.
 */
final class CachePart implements Part {

    static final int ROWS = 10_000;
    static final double ZIPF = 1.1;
    static final double WRITES = 0.05;
    static final Duration BASELINE_TTL = Duration.ofSeconds(30);
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/postgres";

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public String title() {
        return "Workflow 2: cache invalidation from PostgreSQL's change stream";
    }

    @Override
    public String method() {
        return """
                On the running platform's broker and registry, with topics of their own: a table of %,d rows in \
                the PostgreSQL server on this machine, served as JSON (its id and version) by an upstream in the \
                suite's JVM that reads the row on every request; the cache-invalidation operator and the change \
                capture (Debezium, pgoutput) in a JVM of their own; two gateway instances, each in its own JVM, \
                with the shared Redis tier. Each gateway has two cached routes over the same rows and upstream: \
                ours (TTL 10 minutes, evicted by the change stream under a rule for the table) and the baseline \
                (TTL %ds, nothing evicts it), each with room for every row (near-cache 20,000 keys). \
                After every row has been read once through each route, operations run open loop at a fixed \
                rate: 95 %% reads of a row drawn from a Zipf distribution (s = %.1f), each sent to both routes \
                on one of the two gateways in turn, and 5 %% changes of a row drawn uniformly (its version \
                incremented, committed). A read is stale when it returns a version older than one committed \
                before it was sent. Read latency: the reads the cache answered against the same reads through a \
                third route of the same gateways that does not cache (and, in the notes, straight to the upstream). Eviction: per trial a change to one of the 50 most read rows, from the \
                moment its commit returns until both gateways serve the new version, each polled in turn.""".formatted(ROWS, BASELINE_TTL.toSeconds(), ZIPF);
    }

    @Override
    public Result run(Bench bench) throws Exception {
        PlatformUnderTest platform = bench.platform();
        String run = Long.toString(System.nanoTime() % 100_000);
        String schema = "bench_cache_" + run;
        String table = schema + ".rows";
        Duration measured = bench.quick() ? Duration.ofSeconds(15) : Duration.ofSeconds(60);
        int rate = bench.quick() ? 100 : 200;
        int trials = bench.quick() ? 15 : 100;
        List<Figure> figures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Vertx vertx = Vertx.vertx();
        try (Rows rows = Rows.create(schema, table)) {
            HttpServer upstream = rows.serve(vertx);
            Path rules = Files.createDirectories(bench.work()).resolve("cache-part-rules.yaml");
            Files.writeString(rules, "tables:\n  " + table + ":\n    keys: ['/cache/rows/{id}']\n");
            Map<String, String> common = Map.of(
                    "streamops.topic.prefix", "bench-cache-" + run + ".", "streamops.gateway.auth.enabled", "false");
            Map<String, String> operatorSettings = new java.util.HashMap<>(common);
            operatorSettings.put(
                    "streamops.cache.rules.file", rules.toAbsolutePath().toString());
            operatorSettings.put("streamops.cache.capture.enabled", "true");
            operatorSettings.put("streamops.cache.capture.tables", table);
            operatorSettings.put(
                    "streamops.streams.state.dir",
                    bench.work().resolve("cache-streams-" + run).toString());
            try (PlatformUnderTest.Instance operator =
                    platform.start("bench-cache-operator", "topologies", operatorSettings)) {
                List<PlatformUnderTest.Instance> gateways = new ArrayList<>();
                try {
                    for (int i = 1; i <= 2; i++) {
                        Map<String, String> settings = new java.util.HashMap<>(common);
                        String up = "127.0.0.1:" + upstream.actualPort();
                        settings.put("streamops.gateway.route.cache.prefix", "/cache/");
                        settings.put("streamops.gateway.route.cache.upstreams", up);
                        settings.put("streamops.gateway.route.cache.cache.ttl", "10m");
                        settings.put("streamops.gateway.route.ttl.prefix", "/ttl/");
                        settings.put("streamops.gateway.route.ttl.upstreams", up);
                        settings.put("streamops.gateway.route.ttl.cache.ttl", BASELINE_TTL.toSeconds() + "s");
                        settings.put("streamops.gateway.route.direct.prefix", "/direct/");
                        settings.put("streamops.gateway.route.direct.upstreams", up);
                        settings.put("streamops.cache.near.entries", "20000");
                        gateways.add(platform.start("bench-cache-" + i, "gateway", settings));
                    }
                    Workload workload = new Workload(rows, gateways, upstream.actualPort());
                    workload.prefill();
                    workload.run(Duration.ofSeconds(5), rate, false);
                    Outcome outcome = workload.run(measured, rate, true);
                    figures.add(Figure.of(
                                    name(),
                                    "hit rate, Zipf reads with 5 % writes",
                                    outcome.ours().hitRate() * 100,
                                    "%",
                                    "higher")
                            .against(
                                    "TTL-only cache, " + BASELINE_TTL.toSeconds() + "s",
                                    outcome.baseline().hitRate() * 100)
                            .target("≥ 95 %", outcome.ours().hitRate() >= 0.95));
                    figures.add(Figure.of(name(), "stale reads", outcome.ours().stale(), "reads", "lower")
                            .against(
                                    "TTL-only cache, " + BASELINE_TTL.toSeconds() + "s",
                                    outcome.baseline().stale()));
                    double cachedP50 = outcome.cached().getValueAtPercentile(50) / 1e3;
                    double upstreamP50 = outcome.direct().getValueAtPercentile(50) / 1e3;
                    figures.add(Figure.of(name(), "read answered by the cache, p50", cachedP50, "ms", "lower")
                            .against("the same read through the gateway, not cached", upstreamP50));
                    figures.add(Figure.of(
                                    name(),
                                    "read answered by the cache, p99",
                                    outcome.cached().getValueAtPercentile(99) / 1e3,
                                    "ms",
                                    "lower")
                            .against(
                                    "the same read through the gateway, not cached",
                                    outcome.direct().getValueAtPercentile(99) / 1e3));
                    notes.add(String.format(
                            Locale.ROOT,
                            "%d reads and %d changes in %ds; ours: %d hits, %d misses, %d stale (the latest %.1f ms "
                                    + "after its change committed); TTL-only: %d hits, %d misses, %d stale (the latest "
                                    + "%.0f ms after). Cached reads are %.1f× faster at p50 than the same reads through the gateway "
                                    + "uncached; the upstream alone (no gateway hop, a primary-key lookup in "
                                    + "PostgreSQL) answered in %.2f ms at p50, %.2f ms at p99.",
                            outcome.reads(),
                            outcome.writes(),
                            measured.toSeconds(),
                            outcome.ours().hits(),
                            outcome.ours().misses(),
                            outcome.ours().stale(),
                            outcome.ours().worstStaleMillis(),
                            outcome.baseline().hits(),
                            outcome.baseline().misses(),
                            outcome.baseline().stale(),
                            outcome.baseline().worstStaleMillis(),
                            upstreamP50 / cachedP50,
                            outcome.upstream().getValueAtPercentile(50) / 1e3,
                            outcome.upstream().getValueAtPercentile(99) / 1e3));
                    Histogram evicted = workload.evictions(trials);
                    double p99 = evicted.getValueAtPercentile(99) / 1e6;
                    figures.add(Figure.of(
                            name(),
                            "change committed to served by both gateways, p50",
                            evicted.getValueAtPercentile(50) / 1e6,
                            "ms",
                            "lower"));
                    figures.add(
                            Figure.of(name(), "change committed to served by both gateways, p99", p99, "ms", "lower")
                                    .target("p99 < 100 ms", p99 < 100));
                    notes.add(String.format(
                            Locale.ROOT, "Eviction: %d trials, slowest %.1f ms.", trials, evicted.getMaxValue() / 1e6));
                } finally {
                    gateways.forEach(PlatformUnderTest.Instance::close);
                }
            } finally {
                // The operator's process is gone: its slot goes with the table.
                ChangeCapture.retire(
                        ChangeCapture.Config.from(Settings.of(operatorSettings), bench.work()), Duration.ofSeconds(60));
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        return new Result(figures, List.of(), notes);
    }

    /** The table, its committed versions as the suite knows them, and an upstream that reads it. */
    private static final class Rows implements AutoCloseable {
        private final String schema;
        private final String table;
        private final List<Connection> readers = new ArrayList<>();
        private final Connection writer;
        /** The version of each row committed last, and when its commit returned. */
        final Map<Integer, long[]> committed = new ConcurrentHashMap<>();

        private final AtomicLong next = new AtomicLong();

        private Rows(String schema, String table) throws SQLException {
            this.schema = schema;
            this.table = table;
            this.writer = DriverManager.getConnection(JDBC, "postgres", "");
            for (int i = 0; i < 4; i++) {
                readers.add(DriverManager.getConnection(JDBC, "postgres", ""));
            }
        }

        static Rows create(String schema, String table) throws SQLException {
            Rows rows = new Rows(schema, table);
            try (Statement s = rows.writer.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
                s.execute(
                        "CREATE TABLE " + table + " (id int PRIMARY KEY, version int NOT NULL, payload text NOT NULL)");
                s.execute("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
                s.execute("INSERT INTO " + table + " SELECT i, 1, repeat('x', 200) FROM generate_series(1, " + ROWS
                        + ") i");
            }
            return rows;
        }

        HttpServer serve(Vertx vertx) {
            return vertx.createHttpServer()
                    .requestHandler(request -> {
                        String path = request.path();
                        int id = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
                        Connection reader = readers.get((int) (next.getAndIncrement() % readers.size()));
                        vertx.executeBlocking(() -> read(reader, id), false).onComplete(done -> {
                            if (done.failed()) {
                                request.response().setStatusCode(503).end();
                            } else {
                                request.response()
                                        .putHeader("Content-Type", "application/json")
                                        .end(new JsonObject()
                                                .put("id", id)
                                                .put("version", done.result())
                                                .encode());
                            }
                        });
                    })
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .join();
        }

        private int read(Connection reader, int id) throws SQLException {
            synchronized (reader) {
                try (PreparedStatement select =
                        reader.prepareStatement("SELECT version FROM " + table + " WHERE id = ?")) {
                    select.setInt(1, id);
                    try (ResultSet row = select.executeQuery()) {
                        row.next();
                        return row.getInt(1);
                    }
                }
            }
        }

        /** Changes a row and returns when its commit has; the suite's clock reads when. */
        synchronized void change(int id) throws SQLException {
            try (PreparedStatement update = writer.prepareStatement(
                    "UPDATE " + table + " SET version = version + 1 WHERE id = ? RETURNING version")) {
                update.setInt(1, id);
                try (ResultSet row = update.executeQuery()) {
                    row.next();
                    committed.put(id, new long[] {row.getInt(1), System.nanoTime()});
                }
            }
        }

        int committedVersion(int id) {
            long[] c = committed.get(id);
            return c == null ? 1 : (int) c[0];
        }

        @Override
        public void close() throws SQLException {
            try (Statement s = writer.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
            writer.close();
            for (Connection c : readers) {
                c.close();
            }
        }
    }

    /** What one cache answered over the measured time. */
    record Tally(long hits, long misses, long stale, double worstStaleMillis) {
        double hitRate() {
            return hits + misses == 0 ? 0 : (double) hits / (hits + misses);
        }
    }

    record Outcome(
            long reads,
            long writes,
            Tally ours,
            Tally baseline,
            Histogram cached,
            Histogram direct,
            Histogram upstream) {}

    private static final class Workload {
        private final Rows rows;
        private final List<PlatformUnderTest.Instance> gateways;
        private final int upstreamPort;
        private final double[] cdf = new double[ROWS];
        private final Random random = new Random(7);

        Workload(Rows rows, List<PlatformUnderTest.Instance> gateways, int upstreamPort) {
            this.rows = rows;
            this.gateways = gateways;
            this.upstreamPort = upstreamPort;
            double sum = 0;
            for (int k = 1; k <= ROWS; k++) {
                sum += Math.pow(k, -ZIPF);
                cdf[k - 1] = sum;
            }
            for (int k = 0; k < ROWS; k++) {
                cdf[k] /= sum;
            }
        }

        int zipf(double u) {
            int lo = 0;
            int hi = ROWS - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo + 1;
        }

        /** Every row read once through each route of the first gateway (the second finds them in Redis). */
        void prefill() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int id = 1; id <= ROWS; id++) {
                    int row = id;
                    done.add(pool.submit(() -> {
                        for (String route : List.of("/cache/rows/", "/ttl/rows/")) {
                            Http.get(url(gateways.get(0), route + row), Map.of());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }

        Outcome run(Duration length, int rate, boolean count) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            long[] ours = new long[3];
            long[] baseline = new long[3];
            double[] worst = new double[2];
            Histogram cached = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(30), 3);
            Histogram direct = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(30), 3);
            Histogram upstreamOnly = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(30), 3);
            long reads = 0;
            long writes = 0;
            List<Future<?>> pending = new ArrayList<>();
            long start = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            long ops = length.toSeconds() * rate;
            try {
                for (long op = 0; op < ops; op++) {
                    long due = start + op * interval;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (random.nextDouble() < WRITES) {
                        int id = 1 + random.nextInt(ROWS);
                        writes++;
                        pending.add(pool.submit(() -> {
                            rows.change(id);
                            return null;
                        }));
                        continue;
                    }
                    int id = zipf(random.nextDouble());
                    PlatformUnderTest.Instance gateway = gateways.get((int) (op % gateways.size()));
                    reads++;
                    pending.add(pool.submit(() -> {
                        int known = rows.committedVersion(id);
                        long[] change = rows.committed.get(id);
                        read(gateway, "/cache/rows/" + id, known, change, ours, worst, 0, cached);
                        read(gateway, "/ttl/rows/" + id, known, change, baseline, worst, 1, null);
                        long t = System.nanoTime();
                        Http.get(url(gateway, "/direct/rows/" + id), Map.of());
                        direct.recordValue((System.nanoTime() - t) / 1_000);
                        t = System.nanoTime();
                        Http.get("http://127.0.0.1:" + upstreamPort + "/rows/" + id, Map.of());
                        upstreamOnly.recordValue((System.nanoTime() - t) / 1_000);
                        return null;
                    }));
                }
                for (Future<?> f : pending) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            if (!count) {
                return null;
            }
            return new Outcome(
                    reads,
                    writes,
                    new Tally(ours[0], ours[1], ours[2], worst[0]),
                    new Tally(baseline[0], baseline[1], baseline[2], worst[1]),
                    cached,
                    direct,
                    upstreamOnly);
        }

        private void read(
                PlatformUnderTest.Instance gateway,
                String path,
                int known,
                long[] change,
                long[] tally,
                double[] worst,
                int which,
                Histogram cachedLatency)
                throws Exception {
            long t = System.nanoTime();
            HttpResponse<String> response = Http.get(url(gateway, path), Map.of());
            long took = System.nanoTime() - t;
            boolean hit = response.headers()
                    .firstValue("Cache-Status")
                    .map(s -> s.contains("; hit") || s.contains("collapsed"))
                    .orElse(false);
            int version = new JsonObject(response.body()).getInteger("version");
            synchronized (tally) {
                tally[hit ? 0 : 1]++;
                if (version < known) {
                    tally[2]++;
                    worst[which] = Math.max(worst[which], (t - change[1]) / 1e6);
                }
            }
            if (hit && cachedLatency != null) {
                cachedLatency.recordValue(took / 1_000);
            }
        }

        /** Per trial: a change to a popular row, until both gateways serve its new version. */
        Histogram evictions(int trials) throws Exception {
            Histogram latency = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
            for (int trial = 0; trial < trials + 5; trial++) {
                int id = 1 + trial % 50;
                for (PlatformUnderTest.Instance g : gateways) {
                    Http.get(url(g, "/cache/rows/" + id), Map.of());
                }
                rows.change(id);
                long committedAt = rows.committed.get(id)[1];
                int version = rows.committedVersion(id);
                boolean[] fresh = new boolean[gateways.size()];
                Poll.until("row " + id + " v" + version + " served by both gateways", Duration.ofSeconds(10), () -> {
                    boolean all = true;
                    for (int g = 0; g < gateways.size(); g++) {
                        if (!fresh[g]) {
                            try {
                                fresh[g] = new JsonObject(Http.get(url(gateways.get(g), "/cache/rows/" + id), Map.of())
                                                        .body())
                                                .getInteger("version")
                                        >= version;
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                        all &= fresh[g];
                    }
                    return all;
                });
                if (trial >= 5) {
                    latency.recordValue(System.nanoTime() - committedAt);
                }
            }
            return latency;
        }

        private static String url(PlatformUnderTest.Instance gateway, String path) {
            return "http://127.0.0.1:" + gateway.port() + path;
        }
    }
}
