package io.streamops.benchmarks.suite;

import io.streamops.benchmarks.load.LoadGenerator;
import io.streamops.benchmarks.load.LoadResult;
import io.streamops.benchmarks.load.RequestSpec;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/** Sign-in and get-session against the Better-Auth npm package serving the same API. */
final class AuthPart implements Part {

    private static final int CONNECTIONS = 50;
    private static final String COOKIE = "better-auth.session_token";

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public String title() {
        return "Auth: the gateway's Better-Auth API against Better-Auth itself";
    }

    @Override
    public String method() {
        return """
                The reference is `better-auth` 1.7.25 from npm on Node.js (`benchmarks/node/reference-server.mjs`: \
                memory adapter, email and password, `jwt` and `bearer` plugins, its rate limiter off so that the \
                server, not its throttle, is measured). Ours is the gateway of the running platform, whose users \
                and sessions are events on Kafka. Each server gets %1$d accounts signed up before measuring; then \
                %1$d connections in a closed loop each send, as fast as answers come, `GET /api/auth/get-session` \
                with that user's session cookie (a browser loading a page), then `POST /api/auth/sign-in/email` \
                with the user's password (each makes a session: on our side an event written to Kafka and applied \
                before the answer). Password hashing dominates sign-in: argon2id (OWASP parameters) on ours, \
                scrypt on Better-Auth's.""".formatted(CONNECTIONS);
    }

    @Override
    public Result run(Bench bench) throws Exception {
        String ours = "http://127.0.0.1:" + bench.platform().gatewayPort();
        int betterAuthPort = bench.betterAuth().port();
        String reference = "http://127.0.0.1:" + betterAuthPort;
        List<String> ourCookies = cookies(ours);
        List<String> referenceCookies = cookies(reference);
        LoadGenerator load = bench.load();

        List<Figure> figures = new ArrayList<>();
        LoadResult oursGet = load.closedLoop(
                "127.0.0.1",
                bench.platform().gatewayPort(),
                getSession(ourCookies),
                CONNECTIONS,
                bench.warmup(),
                bench.measure());
        System.out.println("  streamops   get-session " + oursGet);
        LoadResult referenceGet = load.closedLoop(
                "127.0.0.1",
                betterAuthPort,
                getSession(referenceCookies),
                CONNECTIONS,
                bench.warmup(),
                bench.measure());
        System.out.println("  Better-Auth get-session " + referenceGet);
        double ratio = oursGet.throughput() / referenceGet.throughput();
        figures.add(Figure.of(name(), "get-session throughput", oursGet.throughput(), "req/s", "higher")
                .against("Better-Auth", referenceGet.throughput())
                .target("≥ 20× Better-Auth", ratio >= 20));
        figures.add(Figure.of(name(), "get-session p50", oursGet.p50(), "ms", "lower")
                .against("Better-Auth", referenceGet.p50()));
        figures.add(Figure.of(name(), "get-session p99", oursGet.p99(), "ms", "lower")
                .against("Better-Auth", referenceGet.p99())
                .target("p99 < 5 ms at 50 connections", oursGet.p99() < 5));
        figures.add(Figure.of(name(), "get-session errors", oursGet.errors(), "requests", "lower")
                .against("Better-Auth", referenceGet.errors()));

        LoadResult oursSignIn = load.closedLoop(
                "127.0.0.1", bench.platform().gatewayPort(), signIn(), CONNECTIONS, bench.warmup(), bench.measure());
        System.out.println("  streamops   sign-in " + oursSignIn);
        LoadResult referenceSignIn =
                load.closedLoop("127.0.0.1", betterAuthPort, signIn(), CONNECTIONS, bench.warmup(), bench.measure());
        System.out.println("  Better-Auth sign-in " + referenceSignIn);
        figures.add(Figure.of(name(), "sign-in throughput", oursSignIn.throughput(), "req/s", "higher")
                .against("Better-Auth", referenceSignIn.throughput()));
        figures.add(Figure.of(name(), "sign-in p50", oursSignIn.p50(), "ms", "lower")
                .against("Better-Auth", referenceSignIn.p50()));
        figures.add(Figure.of(name(), "sign-in p99", oursSignIn.p99(), "ms", "lower")
                .against("Better-Auth", referenceSignIn.p99()));
        figures.add(Figure.of(name(), "sign-in errors", oursSignIn.errors(), "requests", "lower")
                .against("Better-Auth", referenceSignIn.errors()));
        return new Result(
                figures,
                List.of(),
                List.of(String.format(
                        Locale.ROOT,
                        "A get-session answer counts only if it names the connection's user (Better-Auth answers 200 and null "
                                + "for no session); errors are everything else. Better-Auth runs on one Node.js thread (scrypt on libuv's pool); the gateway on "
                                + "Vert.x event loops with argon2id on its worker pool.")));
    }

    /** Signs up the accounts and returns their session cookies, checked to hold a session. */
    private static List<String> cookies(String baseUrl) throws Exception {
        List<String> cookies = new ArrayList<>();
        for (HttpResponse<String> signUp : Users.signUp(baseUrl, "auth", CONNECTIONS)) {
            cookies.add(Http.cookie(signUp, COOKIE));
        }
        JsonObject session = Http.ok(Http.get(baseUrl + "/api/auth/get-session", Map.of("Cookie", cookies.get(0))));
        if (!session.getJsonObject("user").getString("email").equals(Users.email("auth", 0))) {
            throw new IllegalStateException(baseUrl + " answered get-session with another user: " + session);
        }
        return cookies;
    }

    private static IntFunction<RequestSpec> getSession(List<String> cookies) {
        return i -> RequestSpec.get("/api/auth/get-session", Map.of("Cookie", cookies.get(i)))
                .expecting(Users.email("auth", i));
    }

    private static IntFunction<RequestSpec> signIn() {
        return i -> RequestSpec.postJson(
                "/api/auth/sign-in/email",
                new JsonObject()
                        .put("email", Users.email("auth", i))
                        .put("password", Users.PASSWORD)
                        .encode(),
                Map.of());
    }
}
