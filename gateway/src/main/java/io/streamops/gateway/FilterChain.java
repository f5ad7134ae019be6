package io.streamops.gateway;

import io.streamops.gateway.filter.GatewayFilter;
import io.streamops.gateway.filter.Verdict;
import io.streamops.gateway.http.JsonAnswer;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the filters of a request in order. A request that every filter lets through goes on to its
 * route; the first answer ends it. A filter that decides later holds the request (its body paused)
 * until it has. Before the response head is sent, every filter sees it and the headers filters added
 * are set.
 */
final class FilterChain {

    private final List<GatewayFilter> filters;

    FilterChain(List<GatewayFilter> filters) {
        this.filters = filters.stream()
                .sorted(Comparator.comparingInt(GatewayFilter::order))
                .toList();
    }

    List<GatewayFilter> filters() {
        return filters;
    }

    /** Runs the chain; {@code proceed} is called once every filter has let the request through. */
    void run(RequestContext request, Consumer<RequestContext> proceed) {
        int[] ran = {0};
        request.routing().addHeadersEndHandler(v -> {
            // Those that saw the request see its response; not those an earlier answer kept out.
            for (int i = 0; i < ran[0]; i++) {
                filters.get(i).onResponse(request, request.response().getStatusCode());
            }
            request.responseHeaders().forEach(h -> request.response().headers().add(h.getKey(), h.getValue()));
        });
        next(0, request, proceed, ran);
    }

    private void next(int from, RequestContext request, Consumer<RequestContext> proceed, int[] ran) {
        for (int i = from; i < filters.size(); i++) {
            ran[0] = i + 1;
            Verdict verdict = filters.get(i).onRequest(request);
            if (verdict instanceof Verdict.Answer answer) {
                answer(request, answer);
                return;
            }
            if (verdict instanceof Verdict.Serve serve) {
                serve(request, serve);
                return;
            }
            if (verdict instanceof Verdict.Later later) {
                int resumeAfter = i;
                request.request().pause();
                later.verdict().onComplete(done -> {
                    request.request().resume();
                    if (done.failed()) {
                        JsonAnswer.refuse(request.response(), 503, "unavailable", String.valueOf(done.cause()));
                    } else if (done.result() instanceof Verdict.Answer answer) {
                        answer(request, answer);
                    } else if (done.result() instanceof Verdict.Serve serve) {
                        serve(request, serve);
                    } else if (done.result() instanceof Verdict.Proceed) {
                        next(resumeAfter + 1, request, proceed, ran);
                    } else {
                        JsonAnswer.refuse(
                                request.response(),
                                500,
                                "internal_error",
                                filters.get(resumeAfter).name() + " decided later, then later again");
                    }
                });
                return;
            }
        }
        proceed.accept(request);
    }

    private static void answer(RequestContext request, Verdict.Answer answer) {
        answer.headers().forEach(request.response()::putHeader);
        JsonAnswer.send(request.response(), answer.status(), answer.body());
    }

    private static void serve(RequestContext request, Verdict.Serve serve) {
        var response = request.response().setStatusCode(serve.status());
        serve.headers().forEach(h -> response.headers().add(h.getKey(), h.getValue()));
        if ("HEAD".equals(request.method())) {
            response.putHeader("Content-Length", Integer.toString(serve.body().length()));
            response.end();
        } else {
            response.end(serve.body());
        }
    }

    /** Every filter's counters, for {@code /health}. */
    Map<String, Map<String, Long>> counters() {
        Map<String, Map<String, Long>> all = new java.util.TreeMap<>();
        filters.forEach(f -> all.put(f.name(), f.counters()));
        return all;
    }
}
