package io.streamops.gateway;

import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.config.ConfigKey;
import io.streamops.schemas.config.Settings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Config of a gateway instance's core: where it listens, its route table, how it finds a client's
 * address, and its request-event buffer. Extensions (auth, workflow filters) read their own keys.
 *
 * @param trustForwardedFor take the client address from X-Forwarded-For (only behind a trusted
 *     load balancer)
 * @param eventBuffer request events held while Kafka is slow or down; beyond it new events are
 *     dropped and counted, never blocking a response
 * @param ingest whether producer clients may post events at {@code /ingest/<topic>}
 */
public record GatewayConfig(
        String gatewayId,
        String host,
        int port,
        List<Route> routes,
        boolean trustForwardedFor,
        int eventBuffer,
        boolean ingest) {

    static final String PREFIX = "streamops.gateway.";

    public static final ConfigKey<String> ID =
            ConfigKey.string(PREFIX + "id", "gateway-1", "this instance's name in request events and logs");
    public static final ConfigKey<String> HOST =
            ConfigKey.string(PREFIX + "host", "127.0.0.1", "where the gateway listens");
    public static final ConfigKey<Integer> PORT = ConfigKey.integer(
                    PREFIX + "port", 8080, "the gateway's port (0: any free one)")
            .check(p -> p >= 0 && p < 65536, "must be a port number");
    public static final ConfigKey<String> ROUTE_PREFIX = ConfigKey.string(
            PREFIX + "route.<name>.prefix", null, "a route's path prefix (the longest matching prefix wins)");
    public static final ConfigKey<List<String>> ROUTE_UPSTREAMS = ConfigKey.list(
            PREFIX + "route.<name>.upstreams", null, "a route's upstreams, host:port,host:port, round robin");
    public static final ConfigKey<Boolean> TRUST_FORWARDED = ConfigKey.bool(
            PREFIX + "trust.forwarded",
            false,
            "take the client address from the last X-Forwarded-For entry, the one a trusted load balancer appended "
                    + "(only behind one)");
    public static final ConfigKey<Integer> EVENT_BUFFER = ConfigKey.integer(
                    PREFIX + "event.buffer",
                    10_000,
                    "request events held while Kafka is slow; beyond it new events are dropped and counted (/health)")
            .check(n -> n >= 1, "must be at least 1");
    public static final ConfigKey<Boolean> INGEST = ConfigKey.bool(
            PREFIX + "ingest.enabled", true, "POST /ingest/<topic> takes events for the registry's event topics");

    public static final ConfigGroup KEYS = ConfigGroup.of(
            "Gateway", PREFIX, ID, HOST, PORT, ROUTE_PREFIX, ROUTE_UPSTREAMS, TRUST_FORWARDED, EVENT_BUFFER, INGEST);

    public GatewayConfig {
        routes = routes.stream()
                .sorted(Comparator.comparingInt((Route r) -> r.prefix().length())
                        .reversed())
                .toList();
    }

    /** Reads the core keys (the gateway validates every key it knows before it starts). */
    public static GatewayConfig from(Settings settings) {
        List<Route> routes = new ArrayList<>();
        for (String name : settings.names(ROUTE_PREFIX)) {
            List<String> upstreams = settings.get(ROUTE_UPSTREAMS, name);
            if (upstreams.isEmpty()) {
                throw new ConfigException("missing required configuration key " + ROUTE_UPSTREAMS.forName(name));
            }
            try {
                routes.add(new Route(
                        name,
                        settings.get(ROUTE_PREFIX, name),
                        upstreams.stream().map(Route.Upstream::parse).toList()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("route " + name + ": " + e.getMessage());
            }
        }
        for (String name : settings.names(ROUTE_UPSTREAMS)) {
            if (!settings.names(ROUTE_PREFIX).contains(name)) {
                throw new ConfigException("missing required configuration key " + ROUTE_PREFIX.forName(name));
            }
        }
        return new GatewayConfig(
                settings.get(ID),
                settings.get(HOST),
                settings.get(PORT),
                routes,
                settings.get(TRUST_FORWARDED),
                settings.get(EVENT_BUFFER),
                settings.get(INGEST));
    }

    /** The gateway's own URL, as clients on this machine reach it. */
    public String localUrl() {
        return "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port;
    }
}
