package io.streamops.platform.demo;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A small web service for the demo: pages and a JSON API behind the gateway (every 50th call fails), and a product catalogue in PostgreSQL. */
public final class DemoUpstream implements AutoCloseable {

    private final HttpServer server;

    private DemoUpstream(HttpServer server) {
        this.server = server;
    }

    public static DemoUpstream start(Vertx vertx, String host, int port) {
        return start(vertx, host, port, null);
    }

    /** With {@code products}, {@code /api/products/<id>} and {@code /api/products?category=<c>} read its table. */
    public static DemoUpstream start(Vertx vertx, String host, int port, DemoProducts products) {
        long[] calls = {0};
        HttpServer server = vertx.createHttpServer()
                .requestHandler(request -> {
                    if (products != null && request.path().startsWith("/api/products")) {
                        serveProduct(vertx, products, request);
                        return;
                    }
                    calls[0]++;
                    if (calls[0] % 50 == 0) {
                        request.response().setStatusCode(500).end("{\"error\":\"demo failure\"}");
                        return;
                    }
                    if (request.path().startsWith("/api/")) {
                        request.response()
                                .putHeader("Content-Type", "application/json")
                                .end(new JsonObject()
                                        .put(
                                                "items",
                                                new JsonArray()
                                                        .add("espresso")
                                                        .add("flat white")
                                                        .add("cortado"))
                                        .put("path", request.path())
                                        .encode());
                    } else {
                        request.response()
                                .putHeader("Content-Type", "text/html")
                                .end("<!doctype html><title>demo shop</title><h1>demo shop</h1><p>" + request.path()
                                        + "</p>");
                    }
                })
                .listen(port, host)
                .await();
        return new DemoUpstream(server);
    }

    private static void serveProduct(Vertx vertx, DemoProducts products, HttpServerRequest request) {
        String path = request.path();
        vertx.executeBlocking(() -> {
                    if (path.equals("/api/products")) {
                        String category = request.getParam("category");
                        return category == null
                                ? null
                                : products.category(category).encode();
                    }
                    String id = path.substring("/api/products/".length());
                    JsonObject product = id.matches("[0-9]{1,9}") ? products.product(Integer.parseInt(id)) : null;
                    return product == null ? null : product.encode();
                })
                .onComplete(done -> {
                    if (done.failed()) {
                        request.response().setStatusCode(503).end("{\"error\":\"database unavailable\"}");
                    } else if (done.result() == null) {
                        request.response().setStatusCode(404).end("{\"error\":\"no such product\"}");
                    } else {
                        request.response()
                                .putHeader("Content-Type", "application/json")
                                .end(done.result());
                    }
                });
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        server.close().await();
    }
}
