package io.streamops.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.SignedJWT;
import io.streamops.gateway.keys.MasterKey;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.workflow.Workflows;
import io.streamops.testkit.TestStack;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances on one auth-events topic: what one does, the other sees; a restarted
 * instance rebuilds users and sessions from the topic.
 */
class AuthFlowIT {

    static final TestStack STACK = TestStack.shared();
    static final AtomicInteger RUN = new AtomicInteger();
    static final String SECRET = "it-secret-0123456789abcdef0123456789";
    static final String MASTER = MasterKey.generateBase64();
    static final String PUBLIC_URL = "https://gateway.test";

    Vertx vertx;
    WebClient http;
    HttpServer upstream;
    TopicNaming naming;
    final List<Gateway> gateways = new ArrayList<>();

    @BeforeEach
    void setUp() {
        naming = new TopicNaming("auth-it" + RUN.incrementAndGet() + ".", Map.of());
        STACK.createTopics(naming.resolveAll(Workflows.topics()));
        vertx = Vertx.vertx();
        http = WebClient.create(vertx);
        upstream = vertx.createHttpServer()
                .requestHandler(r -> r.response().end(String.valueOf(r.getHeader("X-Streamops-User"))))
                .listen(0, "127.0.0.1")
                .await();
    }

    @AfterEach
    void tearDown() {
        gateways.forEach(Gateway::close);
        vertx.close().await();
    }

    @Test
    void signUpSignInSessionTokenAndSignOutAcrossTwoInstancesAndARestart() throws Exception {
        Gateway a = start("gw-a", Map.of());
        Gateway b = start("gw-b", Map.of());

        HttpResponse<Buffer> up = post(
                a,
                "/api/auth/sign-up/email",
                new JsonObject()
                        .put("name", "Alice")
                        .put("email", "Alice@Example.com")
                        .put("password", "correct horse battery staple"));
        assertThat(up.statusCode()).isEqualTo(200);
        String userId = up.bodyAsJsonObject().getJsonObject("user").getString("id");
        assertThat(up.bodyAsJsonObject().getJsonObject("user").getString("email"))
                .isEqualTo("alice@example.com");
        assertThat(up.getHeader("set-auth-token"))
                .startsWith(up.bodyAsJsonObject().getString("token") + ".");
        assertThat(up.cookies())
                .as("an https public URL: Better-Auth's __Secure- cookie")
                .anySatisfy(c -> assertThat(c)
                        .startsWith("__Secure-better-auth.session_token=")
                        .contains("HttpOnly")
                        .contains("Secure"));

        HttpResponse<Buffer> in = post(
                b,
                "/api/auth/sign-in/email",
                new JsonObject().put("email", "alice@example.com").put("password", "correct horse battery staple"));
        assertThat(in.statusCode()).isEqualTo(200);
        assertThat(in.bodyAsJsonObject().getBoolean("redirect")).isFalse();
        String bearer = in.getHeader("set-auth-token");

        HttpResponse<Buffer> session = get(a, "/api/auth/get-session", bearer);
        assertThat(session.statusCode()).isEqualTo(200);
        assertThat(session.bodyAsJsonObject().getJsonObject("session").getString("userId"))
                .isEqualTo(userId);
        assertThat(session.getHeader("set-auth-jwt")).isNotBlank();
        assertThat(session.getHeader("Cache-Control")).isEqualTo("no-store");

        String jwt = get(b, "/api/auth/token", bearer).bodyAsJsonObject().getString("token");
        JWKSet jwks = JWKSet.parse(get(a, "/api/auth/jwks", null).bodyAsString());
        SignedJWT signed = SignedJWT.parse(jwt);
        OctetKeyPair key = (OctetKeyPair) jwks.getKeyByKeyId(signed.getHeader().getKeyID());
        assertThat(signed.verify(new Ed25519Verifier(key))).isTrue();
        assertThat(signed.getJWTClaimsSet().getSubject()).isEqualTo(userId);
        assertThat(signed.getJWTClaimsSet().getIssuer()).isEqualTo(PUBLIC_URL);

        assertThat(get(a, "/private/x", "Bearer-JWT " + jwt).statusCode()).isEqualTo(401);
        int signature = jwt.lastIndexOf('.') + 1;
        String respelled = jwt.substring(0, signature + 40) + "!" + jwt.substring(signature + 40);
        HttpResponse<Buffer> forged = http.post(a.port(), "127.0.0.1", "/ingest/logs")
                .putHeader("Authorization", "Bearer " + respelled)
                .sendJsonObject(new JsonObject().put("service", "s"))
                .await();
        assertThat(forged.statusCode()).as("a second spelling of a valid token").isEqualTo(401);
        assertThat(forged.bodyAsJsonObject().getString("reason")).isEqualTo("invalid_base64url");
        HttpResponse<Buffer> proxied = http.get(b.port(), "127.0.0.1", "/private/x")
                .putHeader("Authorization", "Bearer " + jwt)
                .putHeader("X-Streamops-User", "mallory")
                .send()
                .await();
        assertThat(proxied.statusCode()).isEqualTo(200);
        assertThat(proxied.bodyAsString())
                .as("identity header from the token, not the client")
                .isEqualTo(userId);

        HttpResponse<Buffer> out = post(b, "/api/auth/sign-out", bearer, new JsonObject());
        assertThat(out.bodyAsJsonObject().getBoolean("success")).isTrue();
        assertThat(get(a, "/api/auth/get-session", bearer).bodyAsString()).isEqualTo("null");

        a.close();
        gateways.remove(a);
        Gateway restarted = start("gw-a", Map.of());
        HttpResponse<Buffer> again = post(
                restarted,
                "/api/auth/sign-in/email",
                new JsonObject().put("email", "alice@example.com").put("password", "correct horse battery staple"));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.bodyAsJsonObject().getJsonObject("user").getString("id"))
                .isEqualTo(userId);
        assertThat(get(restarted, "/api/auth/get-session", bearer).bodyAsString())
                .as("signed out stays out")
                .isEqualTo("null");
    }

    @Test
    void refusalsCarryBetterAuthsCodes() {
        Gateway a = start("gw-a", Map.of());
        JsonObject alice = new JsonObject()
                .put("name", "A")
                .put("email", "a@example.com")
                .put("password", "correct horse battery staple");
        assertThat(post(a, "/api/auth/sign-up/email", alice).statusCode()).isEqualTo(200);

        assertThat(code(post(a, "/api/auth/sign-up/email", alice)))
                .isEqualTo("422 USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL");
        assertThat(code(post(a, "/api/auth/sign-in/email", alice.copy().put("password", "wrong password!"))))
                .isEqualTo("401 INVALID_EMAIL_OR_PASSWORD");
        assertThat(code(post(
                        a,
                        "/api/auth/sign-up/email",
                        alice.copy().put("email", "b@example.com").put("password", "short"))))
                .isEqualTo("400 PASSWORD_TOO_SHORT");
        assertThat(code(post(a, "/api/auth/sign-up/email", new JsonObject().put("email", "c@example.com"))))
                .isEqualTo("400 VALIDATION_ERROR");
        assertThat(code(get(a, "/api/auth/token", null))).isEqualTo("401 UNAUTHORIZED");
        HttpResponse<Buffer> foreign = http.post(a.port(), "127.0.0.1", "/api/auth/sign-out")
                .putHeader("Cookie", "better-auth.session_token=x")
                .putHeader("Origin", "https://evil.example")
                .sendJsonObject(new JsonObject())
                .await();
        assertThat(code(foreign)).isEqualTo("403 INVALID_ORIGIN");
        HttpResponse<Buffer> form = http.post(a.port(), "127.0.0.1", "/api/auth/sign-in/email")
                .sendForm(MultiMap.caseInsensitiveMultiMap()
                        .add("email", "a@example.com")
                        .add("password", "correct horse battery staple"))
                .await();
        assertThat(form.statusCode()).as("an HTML form signs in too").isEqualTo(200);
        HttpResponse<Buffer> untrusted = http.post(a.port(), "127.0.0.1", "/api/auth/sign-in/email")
                .sendJsonObject(alice.copy().put("callbackURL", "https://evil.example/phish"))
                .await();
        assertThat(code(untrusted)).isEqualTo("403 INVALID_CALLBACK_URL");
        HttpResponse<Buffer> relative = http.post(a.port(), "127.0.0.1", "/api/auth/sign-in/email")
                .sendJsonObject(alice.copy().put("callbackURL", "/dashboard"))
                .await();
        assertThat(relative.bodyAsJsonObject().getBoolean("redirect")).isTrue();
        assertThat(relative.getHeader("Location")).isEqualTo("/dashboard");
        HttpResponse<Buffer> badJson = http.post(a.port(), "127.0.0.1", "/api/auth/sign-in/email")
                .putHeader("Content-Type", "application/json")
                .sendBuffer(Buffer.buffer("{nope"))
                .await();
        assertThat(code(badJson)).isEqualTo("400 BAD_REQUEST");
    }

    @Test
    void bruteForceOnOneAccountIsThrottledOnEveryInstance() {
        Gateway a = start("gw-a", Map.of());
        Gateway b = start("gw-b", Map.of());
        JsonObject bob = new JsonObject()
                .put("name", "B")
                .put("email", "bob@example.com")
                .put("password", "correct horse battery staple");
        post(a, "/api/auth/sign-up/email", bob);
        for (int i = 0; i < 5; i++) {
            assertThat(post(
                                    i % 2 == 0 ? a : b,
                                    "/api/auth/sign-in/email",
                                    bob.copy().put("password", "guess-" + i))
                            .statusCode())
                    .isEqualTo(401);
        }

        // The right password too: throttling must not tell a right guess from a wrong one.
        assertThat(code(post(b, "/api/auth/sign-in/email", bob))).isEqualTo("429 TOO_MANY_REQUESTS");
        assertThat(code(post(a, "/api/auth/sign-in/email", bob))).isEqualTo("429 TOO_MANY_REQUESTS");
    }

    @Test
    void concurrentWrongGuessesSpreadOverTwoInstancesGetFiveEvaluationsAndNoMore() {
        Map<String, String> behindBalancer = Map.of("streamops.gateway.trust.forwarded", "true");
        Gateway a = start("gw-a", behindBalancer);
        Gateway b = start("gw-b", behindBalancer);
        List<String> outcomes = new ArrayList<>();
        for (int repetition = 1; repetition <= 20; repetition++) {
            // A new account and address each time: the earlier ones are locked out, as they should be.
            String email = "target" + repetition + "@example.com";
            String address = "203.0.113." + repetition;
            assertThat(post(
                                    a,
                                    "/api/auth/sign-up/email",
                                    new JsonObject()
                                            .put("name", "T")
                                            .put("email", email)
                                            .put("password", "correct horse battery staple"))
                            .statusCode())
                    .isEqualTo(200);
            List<Future<HttpResponse<Buffer>>> guesses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                guesses.add(http.post((i % 2 == 0 ? a : b).port(), "127.0.0.1", "/api/auth/sign-in/email")
                        .putHeader("X-Forwarded-For", address)
                        .sendJsonObject(new JsonObject().put("email", email).put("password", "guess-" + i)));
            }
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (Future<HttpResponse<Buffer>> guess : guesses) {
                HttpResponse<Buffer> answer = guess.await();
                byStatus.merge(answer.statusCode(), 1, Integer::sum);
                if (answer.statusCode() == 429) {
                    assertThat(answer.bodyAsJsonObject().getString("message"))
                            .isEqualTo("Too many requests. Please try again later.");
                    assertThat(answer.getHeader("X-Retry-After"))
                            .as("seconds until a guess is evaluated again")
                            .matches("[0-9]+");
                }
            }
            outcomes.add("repetition " + repetition + ": " + byStatus);
        }

        // 401: the password was checked and wrong; 429: refused unevaluated.
        assertThat(outcomes).allSatisfy(o -> assertThat(o).endsWith("{401=5, 429=15}"));
    }

    Gateway start(String id, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "streamops.gateway.id",
                id,
                "streamops.gateway.port",
                "0",
                "streamops.gateway.route.private.prefix",
                "/private",
                "streamops.gateway.route.private.upstreams",
                "127.0.0.1:" + upstream.actualPort(),
                "streamops.gateway.route.private.auth",
                "true",
                "streamops.gateway.auth.secret",
                SECRET,
                "streamops.gateway.auth.master.key",
                MASTER,
                // Every instance of one deployment shares the public URL: it is the tokens' issuer.
                "streamops.gateway.auth.base.url",
                PUBLIC_URL));
        settings.putAll(extra);
        Gateway gateway = Gateway.start(Settings.of(settings), STACK.kafka(), STACK.registry(), naming);
        gateways.add(gateway);
        return gateway;
    }

    HttpResponse<Buffer> post(Gateway g, String path, JsonObject body) {
        return http.post(g.port(), "127.0.0.1", path).sendJsonObject(body).await();
    }

    HttpResponse<Buffer> post(Gateway g, String path, String bearer, JsonObject body) {
        return http.post(g.port(), "127.0.0.1", path)
                .putHeader("Authorization", "Bearer " + bearer)
                .sendJsonObject(body)
                .await();
    }

    HttpResponse<Buffer> get(Gateway g, String path, String bearer) {
        var request = http.get(g.port(), "127.0.0.1", path);
        if (bearer != null) {
            request.putHeader("Authorization", bearer.startsWith("Bearer-JWT ") ? "Bearer junk" : "Bearer " + bearer);
        }
        return request.send().await();
    }

    static String code(HttpResponse<Buffer> response) {
        return response.statusCode() + " " + response.bodyAsJsonObject().getString("code");
    }
}
