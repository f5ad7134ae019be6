package io.streamops.benchmarks.suite;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/** Accounts made through an auth server's Better-Auth API before a part measures anything. */
final class Users {

    static final String PASSWORD = "correct horse battery staple";

    private Users() {}

    static String email(String tag, int i) {
        return "bench-" + tag + "-" + i + "@example.com";
    }

    /** Signs up {@code count} users and returns each sign-up's response. */
    static List<HttpResponse<String>> signUp(String baseUrl, String tag, int count) {
        List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, count)
                .mapToObj(i -> Http.postJson(
                        baseUrl + "/api/auth/sign-up/email",
                        new JsonObject()
                                .put("email", email(tag, i))
                                .put("password", PASSWORD)
                                .put("name", "Bench " + i),
                        Map.of()))
                .toList();
        List<HttpResponse<String>> done =
                responses.stream().map(CompletableFuture::join).toList();
        done.forEach(Http::ok);
        return done;
    }

    /** A JWT for each of {@code count} new users of a streamops gateway (sign-up, then /token). */
    static List<String> jwts(String baseUrl, String tag, int count) throws Exception {
        List<String> jwts = new ArrayList<>();
        for (HttpResponse<String> signUp : signUp(baseUrl, tag, count)) {
            String session = Http.ok(signUp).getString("token");
            jwts.add(Http.ok(Http.get(baseUrl + "/api/auth/token", Map.of("Authorization", "Bearer " + session)))
                    .getString("token"));
        }
        return jwts;
    }
}
