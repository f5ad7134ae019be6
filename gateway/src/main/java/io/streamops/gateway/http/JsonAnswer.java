package io.streamops.gateway.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The one way the gateway answers with JSON: a status, {@code Content-Type: application/json} and the
 * body, unless the response has already ended. Refusals carry {@code error} (a stable code) and
 * {@code message} (for people).
 */
public final class JsonAnswer {

    private JsonAnswer() {}

    public static void send(HttpServerResponse response, int status, JsonObject body) {
        if (!response.ended()) {
            response.setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(body.encode());
        }
    }

    /** A refusal: {@code {"error": code, "message": message}}. */
    public static void refuse(HttpServerResponse response, int status, String error, String message) {
        send(response, status, refusal(error, message));
    }

    public static JsonObject refusal(String error, String message) {
        return new JsonObject().put("error", error).put("message", message);
    }
}
