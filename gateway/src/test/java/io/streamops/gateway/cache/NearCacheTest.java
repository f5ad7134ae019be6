package io.streamops.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class NearCacheTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Function<String, String> NO_HEADERS = name -> null;

    private final NearCache near = new NearCache(100, CLOCK);

    private static CachedResponse entry(
            String principal, List<String> vary, Function<String, String> header, long ttlMillis) {
        return new CachedResponse(
                200,
                List.of(Map.entry("Content-Type", "text/plain")),
                ("for " + principal).getBytes(),
                NearCache.variant(principal, vary, header),
                vary,
                0,
                NOW.toEpochMilli(),
                NOW.toEpochMilli() + ttlMillis);
    }

    @Test
    void oneCallersEntryIsNeverAnothersOrAnAnonymousOne() {
        near.put("/api/me", entry("alice", List.of(), NO_HEADERS, 60_000));

        assertThat(near.find("/api/me", "alice", NO_HEADERS)).isNotNull();
        assertThat(near.find("/api/me", "bob", NO_HEADERS)).isNull();
        assertThat(near.find("/api/me", null, NO_HEADERS)).isNull();
    }

    @Test
    void varyKeepsVariantsApartAndEvictingTheKeyDropsThemAll() {
        Function<String, String> english = name -> name.equals("accept-language") ? "en" : null;
        Function<String, String> german = name -> name.equals("accept-language") ? "de" : null;
        near.put("/api/page", entry(null, List.of("accept-language"), english, 60_000));
        near.put("/api/page", entry(null, List.of("accept-language"), german, 60_000));

        assertThat(near.find("/api/page", null, english)).isNotNull();
        assertThat(near.find("/api/page", null, german)).isNotNull();
        assertThat(near.find("/api/page", null, NO_HEADERS)).isNull();

        assertThat(near.evict(List.of("/api/page"), List.of())).isEqualTo(1);
        assertThat(near.find("/api/page", null, english)).isNull();
        assertThat(near.find("/api/page", null, german)).isNull();
    }

    @Test
    void anExpiredEntryIsNotServed() {
        near.put("/api/old", entry(null, List.of(), NO_HEADERS, 0));

        assertThat(near.find("/api/old", null, NO_HEADERS)).isNull();
    }

    @Test
    void anEntryRoundTripsThroughItsRedisForm() {
        CachedResponse entry = entry("alice", List.of("accept"), name -> "text/html", 5_000);

        CachedResponse back = CachedResponse.decode(entry.encode());

        assertThat(back).usingRecursiveComparison().isEqualTo(entry);
        assertThat(CachedResponse.decode(new byte[] {9, 9, 9})).isNull();
    }
}
