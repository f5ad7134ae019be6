package io.streamops.workflows.ratelimit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which limits a request falls under: Envoy's matching (the exact value, then a prefix, then the key
 * alone; nesting; replaces; unlimited and whitelisted entries), on descriptors the request itself
 * gives.
 */
class RateLimitRulesTest {

    static final RateLimitRules RULES = RulesParser.parse("""
            domain: edge
            descriptors:
              - key: remote_address
                rate_limit: {unit: second, requests_per_unit: 10}
              - key: remote_address
                value: 50.0.0.5
                rate_limit: {unit: second, requests_per_unit: 0}
              - key: remote_address
                value: 10.0.0.1
              - key: path
                value: /api/*
                rate_limit: {unit: minute, requests_per_unit: 600}
              - key: route
                value: shop
                descriptors:
                  - key: principal
                    rate_limit: {name: shop-user, unit: minute, requests_per_unit: 60}
                  - key: principal
                    value: vip
                    rate_limit:
                      unit: minute
                      requests_per_unit: 6000
                      replaces: [{name: per-key}]
              - key: x-api-key
                rate_limit: {name: per-key, unit: hour, requests_per_unit: 1000}
              - key: internal
                rate_limit: {unlimited: true}
            """);

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of(
                        "any address has its own limit",
                        Map.of("remote_address", "1.2.3.4"),
                        List.of("edge|remote_address=1.2.3.4")),
                Arguments.of(
                        "an exact value wins over the key alone",
                        Map.of("remote_address", "50.0.0.5"),
                        List.of("edge|remote_address=50.0.0.5")),
                Arguments.of(
                        "an entry without a limit or nested ones lets its value through",
                        Map.of("remote_address", "10.0.0.1"),
                        List.of()),
                Arguments.of(
                        "a prefix value matches what it starts",
                        Map.of("path", "/api/orders"),
                        List.of("edge|path=%2Fapi%2Forders")),
                Arguments.of(
                        "a prefix value does not match what it does not start",
                        Map.of("path", "/web/index"),
                        List.of()),
                Arguments.of(
                        "nesting: the limit is per route and principal",
                        Map.of("route", "shop", "principal", "ann"),
                        List.of("edge|route=shop|principal=ann")),
                Arguments.of(
                        "a nested level needs its parent's value",
                        Map.of("route", "blog", "principal", "ann"),
                        List.of()),
                Arguments.of(
                        "every matching path applies",
                        Map.of("remote_address", "1.2.3.4", "x-api-key", "k1"),
                        List.of("edge|remote_address=1.2.3.4", "edge|x-api-key=k1")),
                Arguments.of(
                        "a rule that replaces a named one drops it",
                        Map.of("route", "shop", "principal", "vip", "x-api-key", "k1"),
                        List.of("edge|route=shop|principal=vip")),
                Arguments.of("an unlimited rule is no bucket", Map.of("internal", "yes"), List.of()),
                Arguments.of("a request with none of the keys falls under nothing", Map.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void matchesAsEnvoysServiceDoes(String description, Map<String, String> request, List<String> buckets) {
        assertThat(RULES.match(request::get))
                .extracting(RateLimitRules.Match::bucket)
                .containsExactlyElementsOf(buckets);
    }
}
