package io.streamops.gateway;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;

import io.opentelemetry.api.trace.Span;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Request contexts for filter tests, without a server: a route, a client, a request line and headers. */
public final class TestRequests {

    private TestRequests() {}

    /** An anonymous GET of {@code /} on route {@code api} from {@code address}. */
    public static RequestContext anonymous(String address) {
        return request(address, "GET", "/", Map.of());
    }

    public static RequestContext request(String address, String method, String path, Map<String, String> headers) {
        Map<String, String> byName = new TreeMap<>();
        headers.forEach((k, v) -> byName.put(k.toLowerCase(Locale.ROOT), v));
        RequestContext context = new RequestContext(
                null,
                new RequestContext.Line() {
                    @Override
                    public String method() {
                        return method;
                    }

                    @Override
                    public String path() {
                        return path;
                    }

                    @Override
                    public String header(String name) {
                        return byName.get(name.toLowerCase(Locale.ROOT));
                    }
                },
                0,
                BEGINNING,
                address,
                Span.getInvalid());
        context.route(new Route("api", "/", List.of(new Route.Upstream("127.0.0.1", 1))));
        return context;
    }

    /** The headers filters added to the response, as they would be sent. */
    public static Map<String, String> responseHeaders(RequestContext context) {
        Map<String, String> headers = new TreeMap<>();
        context.responseHeaders().forEach(h -> headers.put(h.getKey(), h.getValue()));
        return headers;
    }

    public static Map<String, String> attributes(RequestContext context) {
        return context.attributes();
    }
}
