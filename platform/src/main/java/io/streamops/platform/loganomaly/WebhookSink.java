package io.streamops.platform.loganomaly;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs each alert as JSON to a webhook (an incident tool, a chat channel's incoming hook), with
 * the decision id as {@code Idempotency-Key} so that a receiver that honours it drops a redelivery.
 * Any 2xx answer is delivered; anything else fails the attempt.
 */
final class WebhookSink implements AlertSink {

    private final URI url;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    WebhookSink(URI url) {
        this.url = url;
    }

    @Override
    public String deliver(String decisionId, JsonObject alert) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", decisionId)
                        .POST(HttpRequest.BodyPublishers.ofString(alert.encode()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IOException(url + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return "POST " + url + " -> " + answer.statusCode();
    }
}
