package io.streamops.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamops.schemas.config.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

    @Test
    void readsRoutesLongestPrefixFirst() {
        GatewayConfig config = GatewayConfig.from(Settings.of(Map.of(
                "streamops.gateway.route.site.prefix", "/",
                "streamops.gateway.route.site.upstreams", "127.0.0.1:9000",
                "streamops.gateway.route.api.prefix", "/api",
                "streamops.gateway.route.api.upstreams", "10.0.0.1:80, 10.0.0.2:80")));

        assertThat(config.routes()).extracting(Route::name).containsExactly("api", "site");
        assertThat(config.routes().get(0).upstreams())
                .extracting(Route.Upstream::toString)
                .containsExactly("10.0.0.1:80", "10.0.0.2:80");
        assertThat(config.port()).isEqualTo(8080);
    }

    @Test
    void matchesAPrefixOnlyAtAPathBoundary() {
        Route api = new Route("api", "/api", List.of(new Route.Upstream("h", 1)));

        assertThat(api.matches("/api")).isTrue();
        assertThat(api.matches("/api/items")).isTrue();
        assertThat(api.matches("/apix")).isFalse();
    }

    @Test
    void rejectsBadUpstreamsAndHalfDeclaredRoutesByName() {
        assertThatThrownBy(() -> GatewayConfig.from(Settings.of(Map.of(
                        "streamops.gateway.route.api.prefix", "/api",
                        "streamops.gateway.route.api.upstreams", "nohostport"))))
                .hasMessageContaining("route api")
                .hasMessageContaining("not host:port");
        assertThatThrownBy(() -> GatewayConfig.from(Settings.of(Map.of("streamops.gateway.route.api.prefix", "/api"))))
                .hasMessageContaining("streamops.gateway.route.api.upstreams");
        assertThatThrownBy(
                        () -> GatewayConfig.from(Settings.of(Map.of("streamops.gateway.route.api.upstreams", "h:1"))))
                .hasMessageContaining("streamops.gateway.route.api.prefix");
    }

    @Test
    void everyKeyTheGatewayKnowsIsValidatedTogetherAndTyposAreNamed() {
        Settings settings = Settings.of(Map.of(
                "streamops.gateway.prot", "1",
                "streamops.gateway.route.api.auht", "true",
                "streamops.gateway.route.api.auth", "yes please",
                "streamops.ratelimit.mod", "enforce"));

        assertThatThrownBy(() -> settings.validate(Gateway.configGroups()))
                .hasMessageContaining("unknown configuration key streamops.gateway.prot")
                .hasMessageContaining("unknown configuration key streamops.gateway.route.api.auht")
                .hasMessageContaining("streamops.gateway.route.api.auth must be true or false")
                .hasMessageContaining("unknown configuration key streamops.ratelimit.mod");
    }
}
