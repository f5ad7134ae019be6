package io.streamops.benchmarks.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnectOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * An HTTP/1.1 load generator on one event-loop thread, with one dedicated keep-alive connection per
 * simulated user.
 *
 * <p>Open loop ({@link #openLoop}): every connection has a schedule (a request each 1/rate
 * seconds, the connections' schedules evenly staggered) that does not wait for the server. A
 * request that cannot go out on time, because the previous one on its connection is still
 * unanswered, waits for it, and its latency counts from when it should have been sent: the
 * coordinated-omission correction of wrk2 and HdrHistogram, so a stall is charged for every
 * request it delayed. Closed loop ({@link #closedLoop}): each connection sends its next request as
 * soon as the previous one is answered, which finds the maximum throughput.
 */
public final class LoadGenerator implements AutoCloseable {

    private static final long TIMEOUT_MS = 10_000;
    private static final int CONNECT_BATCH = 500;

    private final Vertx vertx;
    private final HttpClientAgent client;
    private final Context context;

    public LoadGenerator() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000));
        context = vertx.getOrCreateContext();
    }

    public LoadResult openLoop(
            String host,
            int port,
            IntFunction<RequestSpec> requests,
            int connections,
            double perConnectionPerSecond,
            Duration warmup,
            Duration measure) {
        List<Slot> slots = connect(host, port, requests, connections);
        try {
            Promise<LoadResult> done = Promise.promise();
            context.runOnContext(v -> new OpenLoop(slots, perConnectionPerSecond, warmup, measure, done).start());
            return done.future().await(warmup.plus(measure).toMillis() + 4 * TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the open-loop run did not finish: " + connections + " connections", e);
        } finally {
            close(slots);
        }
    }

    public LoadResult closedLoop(
            String host,
            int port,
            IntFunction<RequestSpec> requests,
            int connections,
            Duration warmup,
            Duration measure) {
        List<Slot> slots = connect(host, port, requests, connections);
        try {
            Promise<LoadResult> done = Promise.promise();
            context.runOnContext(v -> new ClosedLoop(slots, warmup, measure, done).start());
            return done.future().await(warmup.plus(measure).toMillis() + 4 * TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the closed-loop run did not finish: " + connections + " connections", e);
        } finally {
            close(slots);
        }
    }

    private List<Slot> connect(String host, int port, IntFunction<RequestSpec> requests, int connections) {
        List<Slot> slots = new ArrayList<>(connections);
        for (int from = 0; from < connections; from += CONNECT_BATCH) {
            List<Future<HttpClientConnection>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(connections, from + CONNECT_BATCH); i++) {
                batch.add(client.connect(new HttpConnectOptions().setHost(host).setPort(port)));
            }
            Future.all(batch).await();
            for (int i = 0; i < batch.size(); i++) {
                slots.add(new Slot(batch.get(i).result(), requests.apply(from + i)));
            }
        }
        return slots;
    }

    private static void close(List<Slot> slots) {
        Future.all(slots.stream().map(s -> s.connection.close()).toList()).await();
    }

    @Override
    public void close() {
        client.close().await();
        vertx.close().await();
    }

    /** What a run counts once its warm-up is over: answers, errors, and the latency of each answer. */
    private static final class Tally {
        final Histogram latency = new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
        long ok;
        long errors;

        void record(boolean answered, long nanos) {
            if (answered) {
                ok++;
                latency.recordValue(Math.min(nanos, latency.getHighestTrackableValue()));
            } else {
                errors++;
            }
        }

        LoadResult result(String mode, int connections, double offeredPerSecond, Duration measured) {
            return LoadResult.of(mode, connections, offeredPerSecond, measured.toNanos() / 1e9, ok, errors, latency);
        }
    }

    /** One connection and the request it sends; touched only on the generator's event loop. */
    private static final class Slot {
        final HttpClientConnection connection;
        final RequestSpec request;
        final ArrayDeque<Long> due = new ArrayDeque<>();
        boolean busy;

        Slot(HttpClientConnection connection, RequestSpec request) {
            this.connection = connection;
            this.request = request;
        }

        /** Sends the request and completes with whether it was answered with a 2xx. */
        Future<Boolean> send() {
            return connection
                    .request(request.options(TIMEOUT_MS))
                    .compose(r -> r.send(request.body()))
                    .compose(response -> response.body().map(body -> request.accepts(response.statusCode(), body)))
                    .otherwise(false);
        }
    }

    private final class OpenLoop {
        final List<Slot> slots;
        final long intervalNanos;
        final Duration warmup;
        final Duration measure;
        final Promise<LoadResult> done;
        final Tally tally = new Tally();
        long start;
        long measureFrom;
        long measureUntil;
        long scheduled;
        long outstanding;
        long timer;
        boolean scheduling = true;

        OpenLoop(
                List<Slot> slots,
                double perConnectionPerSecond,
                Duration warmup,
                Duration measure,
                Promise<LoadResult> done) {
            this.slots = slots;
            this.intervalNanos = Math.max(1, (long) (1e9 / (perConnectionPerSecond * slots.size())));
            this.warmup = warmup;
            this.measure = measure;
            this.done = done;
        }

        void start() {
            start = System.nanoTime();
            measureFrom = start + warmup.toNanos();
            measureUntil = measureFrom + measure.toNanos();
            timer = vertx.setPeriodic(1, id -> tick());
        }

        void tick() {
            long now = System.nanoTime();
            while (scheduling) {
                long intended = start + scheduled * intervalNanos;
                if (intended >= measureUntil) {
                    scheduling = false;
                    vertx.cancelTimer(timer);
                } else if (intended <= now) {
                    Slot slot = slots.get((int) (scheduled % slots.size()));
                    scheduled++;
                    outstanding++;
                    slot.due.add(intended);
                    pump(slot);
                } else {
                    break;
                }
            }
            finishIfDone();
        }

        void pump(Slot slot) {
            if (slot.busy || slot.due.isEmpty()) {
                return;
            }
            slot.busy = true;
            long intended = slot.due.poll();
            slot.send().onComplete(answered -> {
                long end = System.nanoTime();
                slot.busy = false;
                outstanding--;
                if (intended >= measureFrom) {
                    tally.record(answered.result(), end - intended);
                }
                pump(slot);
                finishIfDone();
            });
        }

        void finishIfDone() {
            if (!scheduling && outstanding == 0 && !done.future().isComplete()) {
                done.complete(tally.result("open-loop", slots.size(), 1e9 / intervalNanos, measure));
            }
        }
    }

    private final class ClosedLoop {
        final List<Slot> slots;
        final Duration warmup;
        final Duration measure;
        final Promise<LoadResult> done;
        final Tally tally = new Tally();
        long measureFrom;
        long measureUntil;
        int running;

        ClosedLoop(List<Slot> slots, Duration warmup, Duration measure, Promise<LoadResult> done) {
            this.slots = slots;
            this.warmup = warmup;
            this.measure = measure;
            this.done = done;
        }

        void start() {
            long start = System.nanoTime();
            measureFrom = start + warmup.toNanos();
            measureUntil = measureFrom + measure.toNanos();
            running = slots.size();
            slots.forEach(this::next);
        }

        void next(Slot slot) {
            long sent = System.nanoTime();
            if (sent >= measureUntil) {
                if (--running == 0) {
                    done.complete(tally.result("closed-loop", slots.size(), Double.NaN, measure));
                }
                return;
            }
            slot.send().onComplete(answered -> {
                long end = System.nanoTime();
                if (sent >= measureFrom) {
                    tally.record(answered.result(), end - sent);
                }
                next(slot);
            });
        }
    }
}
