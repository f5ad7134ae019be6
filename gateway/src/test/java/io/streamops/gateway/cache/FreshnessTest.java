package io.streamops.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FreshnessTest {

    private static final long T0 = 1_764_583_200_000L;
    private static final long RETAIN = 60_000;

    @Test
    void aFillThatStartedBeforeAnInvalidationOfItsKeyIsStale() {
        Freshness freshness = new Freshness(10, RETAIN);
        long basis = freshness.basis();

        freshness.applied(10, List.of("/api/products/42"), List.of(), T0);

        assertThat(freshness.fresh("/api/products/42", basis)).isFalse();
        assertThat(freshness.fresh("/api/products/43", basis)).isTrue();
        assertThat(freshness.fresh("/api/products/42", freshness.basis())).isTrue();
    }

    @Test
    void aPrefixMakesStaleEveryKeyUnderIt() {
        Freshness freshness = new Freshness(0, RETAIN);
        long basis = freshness.basis();

        freshness.applied(0, List.of(), List.of("/api/products?category=books"), T0);

        assertThat(freshness.fresh("/api/products?category=books&page=2", basis))
                .isFalse();
        assertThat(freshness.fresh("/api/products?category=games", basis)).isTrue();
    }

    @Test
    void anEntryFromBeforeThisGatewayStartedCannotBeJudgedAndIsStale() {
        Freshness freshness = new Freshness(100, RETAIN);

        assertThat(freshness.fresh("/a", 98)).isFalse();
        assertThat(freshness.fresh("/a", 99)).isTrue();
    }

    @Test
    void forgettingOldInvalidationsRaisesTheFloorPastThem() {
        Freshness freshness = new Freshness(0, RETAIN);
        freshness.applied(0, List.of("/a"), List.of(), T0);
        freshness.applied(1, List.of("/b"), List.of(), T0 + 30_000);

        freshness.trim(T0 + RETAIN + 1);

        assertThat(freshness.size()).isEqualTo(1);
        assertThat(freshness.fresh("/c", -1)).isFalse();
        assertThat(freshness.fresh("/a", 0)).isTrue();
        assertThat(freshness.fresh("/b", 0)).isFalse();
    }

    @Test
    void aKeyInvalidatedAgainKeepsItsLatestOffsetWhenTheOlderOneIsForgotten() {
        Freshness freshness = new Freshness(0, RETAIN);
        freshness.applied(0, List.of("/a"), List.of(), T0);
        freshness.applied(1, List.of("/a"), List.of(), T0 + 50_000);

        freshness.trim(T0 + RETAIN + 1);

        assertThat(freshness.fresh("/a", 0)).isFalse();
        assertThat(freshness.fresh("/a", 1)).isTrue();
    }
}
