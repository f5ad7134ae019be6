package io.streamops.gateway.filter;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** What a filter makes of a request: let it go on, answer it, or decide later (an async check). */
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

    /** The verdict is not known yet (e.g. a key to fetch first); the request's body waits meanwhile. */
    record Later(Future<Verdict> verdict) implements Verdict {}

    static Verdict answer(int status, Map<String, String> headers, JsonObject body) {
        return new Answer(status, headers, body);
    }
}
