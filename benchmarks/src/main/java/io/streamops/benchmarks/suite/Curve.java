package io.streamops.benchmarks.suite;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A latency percentile of one load target across connection counts, for the plot. */
public record Curve(String series, List<Point> points) {

    public record Point(int connections, double milliseconds) {}

    JsonObject toJson() {
        JsonArray array = new JsonArray();
        points.forEach(p ->
                array.add(new JsonObject().put("connections", p.connections()).put("ms", p.milliseconds())));
        return new JsonObject().put("series", series).put("points", array);
    }

    static Curve fromJson(JsonObject json) {
        return new Curve(
                json.getString("series"),
                json.getJsonArray("points").stream()
                        .map(JsonObject.class::cast)
                        .map(p -> new Point(p.getInteger("connections"), p.getDouble("ms")))
                        .toList());
    }
}
