package io.streamops.platform.demo;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Demo traffic through the gateway: ten ordinary clients at about one request a second each, and
 * one noisy client at {@code noisyPerSecond}, which the request-rate operator soon limits, and ten
 * product reads a second, skewed to a few popular products (the cached route). Clients
 * are told apart by X-Forwarded-For (the demo gateway trusts it). Open loop on a timer.
 */
public final class TrafficGenerator implements AutoCloseable {

    static final String NOISY = "198.51.100.66";
    private static final List<String> PATHS = List.of("/", "/api/items", "/api/items/7", "/checkout", "/search?q=tea");

    private final Vertx vertx;
    private final WebClient client;
    private final long timer;
    private final AtomicLong sent = new AtomicLong();

    public TrafficGenerator(Vertx vertx, String gatewayHost, int gatewayPort, int noisyPerSecond) {
        this.vertx = vertx;
        this.client = WebClient.create(vertx);
        long[] tick = {0};
        // Every 100 ms: one of the ten ordinary clients, and a tenth of the noisy one's rate.
        this.timer = vertx.setPeriodic(100, id -> {
            tick[0]++;
            send(gatewayHost, gatewayPort, "203.0.113." + (10 + tick[0] % 10), PATHS.get((int)
                    (tick[0] % PATHS.size())));
            // Product pages, a few popular ones most of the time (the cache's demo), and now and then a listing.
            int product = 1 + (int) Math.pow(DemoProducts.ROWS, (tick[0] * 0.618034) % 1.0 * 0.8);
            send(gatewayHost, gatewayPort, "203.0.113." + (20 + tick[0] % 10), "/api/products/" + product);
            if (tick[0] % 10 == 0) {
                String category = DemoProducts.CATEGORIES.get((int) (tick[0] / 10 % DemoProducts.CATEGORIES.size()));
                send(gatewayHost, gatewayPort, "203.0.113.30", "/api/products?category=" + category);
            }
            for (int i = 0; i < noisyPerSecond / 10; i++) {
                send(gatewayHost, gatewayPort, NOISY, "/api/items");
            }
        });
    }

    private void send(String host, int port, String clientAddress, String path) {
        client.get(port, host, path)
                .putHeader("X-Forwarded-For", clientAddress)
                .send()
                .onComplete(done -> sent.incrementAndGet());
    }

    public long sent() {
        return sent.get();
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
        client.close();
    }
}
