package io.streamops.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CachePolicyTest {

    private static final Duration ROUTE_TTL = Duration.ofMinutes(10);
    private static final int MAX_BYTES = 1_000;

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("a plain GET uses the cache", "GET", Map.of(), CachePolicy.Lookup.USE),
                Arguments.of("a HEAD uses the cache", "HEAD", Map.of(), CachePolicy.Lookup.USE),
                Arguments.of("a POST bypasses it", "POST", Map.of(), CachePolicy.Lookup.BYPASS),
                Arguments.of(
                        "a range request bypasses it", "GET", Map.of("Range", "bytes=0-10"), CachePolicy.Lookup.BYPASS),
                Arguments.of(
                        "no-store bypasses it", "GET", Map.of("Cache-Control", "no-store"), CachePolicy.Lookup.BYPASS),
                Arguments.of(
                        "no-cache fetches anew",
                        "GET",
                        Map.of("Cache-Control", "no-cache"),
                        CachePolicy.Lookup.REFRESH),
                Arguments.of(
                        "max-age=0 fetches anew",
                        "GET",
                        Map.of("Cache-Control", "max-age=0"),
                        CachePolicy.Lookup.REFRESH),
                Arguments.of(
                        "Pragma: no-cache without Cache-Control fetches anew",
                        "GET",
                        Map.of("Pragma", "no-cache"),
                        CachePolicy.Lookup.REFRESH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void requests(String description, String method, Map<String, String> headers, CachePolicy.Lookup expected) {
        assertThat(CachePolicy.lookup(
                        method,
                        name -> headers.entrySet().stream()
                                .filter(e -> e.getKey().equalsIgnoreCase(name))
                                .map(Map.Entry::getValue)
                                .findFirst()
                                .orElse(null)))
                .isEqualTo(expected);
    }

    static Stream<Arguments> responses() {
        return Stream.of(
                Arguments.of(
                        "a 200 without directives is kept for the route's TTL",
                        200,
                        headers(),
                        10,
                        Optional.of(ROUTE_TTL),
                        List.of()),
                Arguments.of(
                        "max-age shortens the TTL",
                        200,
                        headers("Cache-Control", "public, max-age=60"),
                        10,
                        Optional.of(Duration.ofSeconds(60)),
                        List.of()),
                Arguments.of(
                        "s-maxage wins over max-age",
                        200,
                        headers("Cache-Control", "max-age=60, s-maxage=5"),
                        10,
                        Optional.of(Duration.ofSeconds(5)),
                        List.of()),
                Arguments.of(
                        "a max-age above the route's TTL does not lengthen it",
                        200,
                        headers("Cache-Control", "max-age=86400"),
                        10,
                        Optional.of(ROUTE_TTL),
                        List.of()),
                Arguments.of(
                        "no-store is not kept",
                        200,
                        headers("Cache-Control", "no-store"),
                        10,
                        Optional.empty(),
                        List.of()),
                Arguments.of(
                        "no-cache is not kept (there is no revalidation)",
                        200,
                        headers("Cache-Control", "no-cache"),
                        10,
                        Optional.empty(),
                        List.of()),
                Arguments.of(
                        "max-age=0 is not kept",
                        200,
                        headers("Cache-Control", "max-age=0"),
                        10,
                        Optional.empty(),
                        List.of()),
                Arguments.of(
                        "Set-Cookie is never kept",
                        200,
                        headers("set-cookie", "session=abc"),
                        10,
                        Optional.empty(),
                        List.of()),
                Arguments.of("Vary: * is not kept", 200, headers("Vary", "*"), 10, Optional.empty(), List.of()),
                Arguments.of(
                        "Vary names the headers of the variant, lower-cased and sorted",
                        200,
                        headers("Vary", "Accept-Language, Accept", "Vary", "accept"),
                        10,
                        Optional.of(ROUTE_TTL),
                        List.of("accept", "accept-language")),
                Arguments.of("a 404 is kept", 404, headers(), 10, Optional.of(ROUTE_TTL), List.of()),
                Arguments.of("a 500 is not", 500, headers(), 10, Optional.empty(), List.of()),
                Arguments.of("a 302 is not", 302, headers(), 10, Optional.empty(), List.of()),
                Arguments.of(
                        "a body over the limit is not", 200, headers(), MAX_BYTES + 1, Optional.empty(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void responses(
            String description,
            int status,
            List<Map.Entry<String, String>> headers,
            int bodyBytes,
            Optional<Duration> ttl,
            List<String> vary) {
        CachePolicy.Storable storable = CachePolicy.storable(status, headers, ROUTE_TTL, bodyBytes, MAX_BYTES);
        assertThat(storable.ttl()).isEqualTo(ttl);
        if (ttl.isPresent()) {
            assertThat(storable.vary()).isEqualTo(vary);
        } else {
            assertThat(storable.reason()).isNotBlank();
        }
    }

    @org.junit.jupiter.api.Test
    void aPrivateResponseIsKeptOnlyForItsPrincipal() {
        assertThat(CachePolicy.storable(200, headers("Cache-Control", "private, max-age=30"), ROUTE_TTL, 1, MAX_BYTES)
                        .perPrincipalOnly())
                .isTrue();
    }

    private static List<Map.Entry<String, String>> headers(String... pairs) {
        List<Map.Entry<String, String>> list = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            list.add(Map.entry(pairs[i], pairs[i + 1]));
        }
        return list;
    }
}
