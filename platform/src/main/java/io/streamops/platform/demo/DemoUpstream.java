package io.streamops.platform.demo;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A small web service for the demo: pages and a JSON API behind the gateway; every 50th call fails. */
public final class DemoUpstream implements AutoCloseable {

    private final HttpServer server;

    private DemoUpstream(HttpServer server) {
        this.server = server;
    }

    public static DemoUpstream start(Vertx vertx, String host, int port) {
        long[] calls = {0};
        HttpServer server = vertx.createHttpServer()
                .requestHandler(request -> {
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

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        server.close().await();
    }
}
