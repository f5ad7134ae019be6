package io.streamops.benchmarks.suite;

import io.vertx.core.json.JsonObject;

/**
 * One published figure: a value measured beside its baseline in the same run, their ratio, and the
 * target it is judged by.
 *
 * @param better "lower", "higher", or "closer" (to its baseline): which way the value improves
 * @param baselineName what the baseline is, or null where there is none
 * @param target the target as written, or null
 * @param met whether the target was met, or null where there is none
 */
public record Figure(
        String part,
        String name,
        double value,
        String unit,
        String better,
        String baselineName,
        double baseline,
        String target,
        Boolean met) {

    static Figure of(String part, String name, double value, String unit, String better) {
        return new Figure(part, name, value, unit, better, null, Double.NaN, null, null);
    }

    Figure against(String baselineName, double baseline) {
        return new Figure(part, name, value, unit, better, baselineName, baseline, target, met);
    }

    Figure target(String target, boolean met) {
        return new Figure(part, name, value, unit, better, baselineName, baseline, target, met);
    }

    /** Value over baseline; NaN without one. */
    double ratio() {
        return baselineName == null || baseline == 0 ? Double.NaN : value / baseline;
    }

    JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("part", part)
                .put("name", name)
                .put("value", finite(value))
                .put("unit", unit)
                .put("better", better);
        if (baselineName != null) {
            json.put("baseline", new JsonObject().put("name", baselineName).put("value", finite(baseline)))
                    .put("ratio", finite(ratio()));
        }
        if (target != null) {
            json.put("target", target).put("met", met);
        }
        return json;
    }

    static Figure fromJson(JsonObject json) {
        JsonObject baseline = json.getJsonObject("baseline");
        return new Figure(
                json.getString("part"),
                json.getString("name"),
                number(json.getValue("value")),
                json.getString("unit"),
                json.getString("better"),
                baseline == null ? null : baseline.getString("name"),
                baseline == null ? Double.NaN : number(baseline.getValue("value")),
                json.getString("target"),
                json.getBoolean("met"));
    }

    private static Object finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static double number(Object value) {
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }
}
