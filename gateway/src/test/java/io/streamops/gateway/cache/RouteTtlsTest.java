package io.streamops.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.common.Mode;
import io.streamops.common.PolicyRef;
import io.streamops.decisions.CacheTtl;
import io.streamops.decisions.CacheTtlAction;
import io.streamops.schemas.decision.Decisions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouteTtlsTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:05:00Z");

    private static CacheTtl decision(String route, Mode mode, Duration proposed) {
        return CacheTtl.newBuilder()
                .setEnvelope(Decisions.envelope(
                        "cache-ttl",
                        new PolicyRef("hit-rate-ttl", 1),
                        mode,
                        AT,
                        AT,
                        Decisions.evidence("test").build(),
                        route))
                .setRoute(route)
                .setAction(CacheTtlAction.LENGTHEN)
                .setCurrentTtlMillis(60_000)
                .setProposedTtlMillis(proposed.toMillis())
                .setHitRate(0.6)
                .setProjectedHitRate(0.9)
                .setSetting("streamops.gateway.route." + route + ".cache.ttl=" + proposed)
                .build();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no decision: the configured TTL", null, "products", Duration.ofMinutes(1)),
                Arguments.of(
                        "an ENFORCE decision: its proposed TTL",
                        decision("products", Mode.ENFORCE, Duration.ofMinutes(10)),
                        "products",
                        Duration.ofMinutes(10)),
                Arguments.of(
                        "a SHADOW decision: the configured TTL",
                        decision("products", Mode.SHADOW, Duration.ofMinutes(10)),
                        "products",
                        Duration.ofMinutes(1)),
                Arguments.of(
                        "an ENFORCE decision past the maximum: the maximum",
                        decision("products", Mode.ENFORCE, Duration.ofHours(6)),
                        "products",
                        Duration.ofHours(1)),
                Arguments.of(
                        "a decision about a route not cached: still not cached",
                        decision("search", Mode.ENFORCE, Duration.ofMinutes(10)),
                        "search",
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theTtlInForce(String description, CacheTtl latest, String route, Duration expected) {
        Map<String, CacheTtl> decisions = new HashMap<>();
        if (latest != null) {
            decisions.put(latest.getRoute(), latest);
        }
        RouteTtls ttls = new RouteTtls(
                Map.of("products", Duration.ofMinutes(1)),
                key -> Optional.ofNullable(decisions.get(key)),
                Duration.ofHours(1));

        assertThat(ttls.of(route)).isEqualTo(expected);
    }
}
