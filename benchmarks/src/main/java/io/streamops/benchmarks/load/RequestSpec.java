package io.streamops.benchmarks.load;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * One request a load connection sends, over and over.
 *
 * @param expect text the answer's body must contain to count as answered, or null for any 2xx
 *     (Better-Auth answers get-session without a session with 200 and {@code null})
 */
public record RequestSpec(HttpMethod method, String uri, Map<String, String> headers, Buffer body, String expect) {

    public RequestSpec {
        headers = Map.copyOf(headers);
    }

    public static RequestSpec get(String uri, Map<String, String> headers) {
        return new RequestSpec(HttpMethod.GET, uri, headers, Buffer.buffer(), null);
    }

    public static RequestSpec postJson(String uri, String json, Map<String, String> headers) {
        Map<String, String> withType = new HashMap<>(headers);
        withType.put("Content-Type", "application/json");
        return new RequestSpec(HttpMethod.POST, uri, withType, Buffer.buffer(json), null);
    }

    public RequestSpec expecting(String text) {
        return new RequestSpec(method, uri, headers, body, text);
    }

    boolean accepts(int status, Buffer answer) {
        return status / 100 == 2 && (expect == null || answer.toString().contains(expect));
    }

    RequestOptions options(long timeoutMs) {
        RequestOptions options =
                new RequestOptions().setMethod(method).setURI(uri).setIdleTimeout(timeoutMs);
        headers.forEach(options::addHeader);
        return options;
    }
}
