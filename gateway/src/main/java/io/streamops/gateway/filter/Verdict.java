package io.streamops.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** What a filter makes of a request: let it go on, answer it (with JSON or a response it holds), or decide later. */
public sealed interface Verdict {

    Verdict PROCEED = new Proceed();

    /** Go on to the next filter, then the route. */
    record Proceed() implements Verdict {}

    /** Answer now with this status, headers and JSON body; later filters and the route do not run. */
    record Answer(int status, Map<String, String> headers, JsonObject body) implements Verdict {
        public Answer {
            headers = Map.copyOf(headers);
        }
    }

    /**
     * Answer now with a response the filter holds (a cached one): its status, headers (repeatable, in
     * order) and body; a HEAD request gets the head alone. Later filters and the route do not run.
     */
    record Serve(int status, List<Map.Entry<String, String>> headers, Buffer body) implements Verdict {
        public Serve {
            headers = List.copyOf(headers);
        }
    }

    /** The verdict is not known yet (e.g. a key to fetch first); the request's body waits meanwhile. */
    record Later(Future<Verdict> verdict) implements Verdict {}

    static Verdict answer(int status, Map<String, String> headers, JsonObject body) {
        return new Answer(status, headers, body);
    }
}
