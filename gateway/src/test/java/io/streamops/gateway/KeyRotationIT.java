package io.streamops.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.streamops.gateway.keys.MasterKey;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.wait.Deadline;
import io.streamops.schemas.workflow.Workflows;
import io.streamops.testkit.TestStack;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Rotation under load: keys rotate every two seconds while tokens issued by one instance are
 * verified by the other on every request; no verification may fail.
 */
class KeyRotationIT {

    static final TestStack STACK = TestStack.shared();

    @Test
    void rotatingKeysUnderLoadFailsNoVerification() throws Exception {
        TopicNaming naming = new TopicNaming("rotation-it.", Map.of());
        STACK.createTopics(naming.resolveAll(Workflows.topics()));
        Vertx vertx = Vertx.vertx();
        WebClient http = WebClient.create(vertx);
        HttpServer upstream = vertx.createHttpServer()
                .requestHandler(r -> r.response().end("ok"))
                .listen(0, "127.0.0.1")
                .await();
        String master = MasterKey.generateBase64();
        List<Gateway> gateways = new ArrayList<>();
        try {
            for (String id : List.of("rot-a", "rot-b")) {
                Map<String, String> s = new HashMap<>();
                s.put("streamops.gateway.id", id);
                s.put("streamops.gateway.port", "0");
                s.put("streamops.gateway.route.api.prefix", "/api/data");
                s.put("streamops.gateway.route.api.upstreams", "127.0.0.1:" + upstream.actualPort());
                s.put("streamops.gateway.route.api.auth", "true");
                s.put("streamops.gateway.auth.secret", "rotation-secret-0123456789abcdef01234");
                s.put("streamops.gateway.auth.master.key", master);
                s.put("streamops.gateway.auth.base.url", "https://gateway.test");
                s.put("streamops.gateway.auth.rotation.interval", "2s");
                s.put("streamops.gateway.auth.rotation.lead", "1s");
                gateways.add(Gateway.start(Settings.of(s), STACK.kafka(), STACK.registry(), naming));
            }
            Gateway a = gateways.get(0);
            Gateway b = gateways.get(1);
            JsonObject user = new JsonObject()
                    .put("name", "R")
                    .put("email", "rot@example.com")
                    .put("password", "correct horse battery staple");
            String bearer = http.post(a.port(), "127.0.0.1", "/api/auth/sign-up/email")
                    .sendJsonObject(user)
                    .await()
                    .getHeader("set-auth-token");

            Set<String> kids = new HashSet<>();
            int requests = 0;
            int failures = 0;
            // Load for a fixed span, long enough for several rotations.
            Deadline load = Deadline.in(Duration.ofSeconds(9));
            while (!load.expired()) {
                Gateway issuer = requests % 2 == 0 ? a : b;
                Gateway verifier = issuer == a ? b : a;
                String jwt = http.get(issuer.port(), "127.0.0.1", "/api/auth/token")
                        .putHeader("Authorization", "Bearer " + bearer)
                        .send()
                        .await()
                        .bodyAsJsonObject()
                        .getString("token");
                kids.add(SignedJWT.parse(jwt).getHeader().getKeyID());
                for (int i = 0; i < 5; i++) {
                    int status = http.get(verifier.port(), "127.0.0.1", "/api/data/" + i)
                            .putHeader("Authorization", "Bearer " + jwt)
                            .send()
                            .await()
                            .statusCode();
                    requests++;
                    if (status != 200) {
                        failures++;
                    }
                }
            }

            assertThat(kids).as("keys used while the test ran").hasSizeGreaterThanOrEqualTo(3);
            assertThat(requests).isGreaterThan(100);
            assertThat(failures).as("failed verifications out of " + requests).isZero();
        } finally {
            gateways.forEach(Gateway::close);
            vertx.close().await();
        }
    }
}
