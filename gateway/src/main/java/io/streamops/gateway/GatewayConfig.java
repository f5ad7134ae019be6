package io.streamops.gateway;

import io.streamops.gateway.auth.AuthConfig;
import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.Settings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Config of a gateway instance.
 *
 * <p>Routes are {@code streamops.gateway.route.<name>.prefix} and {@code
 * streamops.gateway.route.<name>.upstreams} (comma-separated host:port); the longest matching
 * prefix wins.
 *
 * @param trustForwardedFor take the client address from X-Forwarded-For (only behind a trusted
 *     load balancer)
 * @param eventBuffer request events held while Kafka is slow or down; beyond it new events are
 *     dropped and counted, never blocking a response
 * @param ingest whether producer clients may post events at {@code /ingest/<topic>}
 * @param ingestAuth whether posting events needs a valid JWT
 */
public record GatewayConfig(
        String gatewayId,
        String host,
        int port,
        List<Route> routes,
        boolean trustForwardedFor,
        int eventBuffer,
        AuthConfig auth,
        boolean ingest,
        boolean ingestAuth) {

    static final String PREFIX = "streamops.gateway.";
    static final String ROUTE = PREFIX + "route.";

    public GatewayConfig {
        routes = routes.stream()
                .sorted(Comparator.comparingInt((Route r) -> r.prefix().length())
                        .reversed())
                .toList();
        if (eventBuffer < 1) {
            throw new ConfigException(PREFIX + "event.buffer must be at least 1, was " + eventBuffer);
        }
    }

    public static GatewayConfig from(Settings settings) {
        Set<String> routeNames = new TreeSet<>();
        List<String> known = new ArrayList<>(List.of(
                PREFIX + "id",
                PREFIX + "host",
                PREFIX + "port",
                PREFIX + "trust.forwarded",
                PREFIX + "event.buffer",
                PREFIX + "ingest.enabled",
                PREFIX + "ingest.auth"));
        settings.asMap().keySet().stream().filter(k -> k.startsWith(ROUTE)).forEach(k -> {
            String rest = k.substring(ROUTE.length());
            int dot = rest.indexOf('.');
            if (dot > 0) {
                String name = rest.substring(0, dot);
                routeNames.add(name);
                known.add(ROUTE + name + ".prefix");
                known.add(ROUTE + name + ".upstreams");
                known.add(ROUTE + name + ".auth");
            }
        });
        known.addAll(AuthConfig.KEYS);
        settings.rejectUnknown(PREFIX, known);
        List<Route> routes = new ArrayList<>();
        for (String name : routeNames) {
            String upstreams = settings.required(ROUTE + name + ".upstreams");
            try {
                routes.add(new Route(
                        name,
                        settings.required(ROUTE + name + ".prefix"),
                        Arrays.stream(upstreams.split(","))
                                .map(String::trim)
                                .filter(s -> !s.isEmpty())
                                .map(Route.Upstream::parse)
                                .toList(),
                        settings.bool(ROUTE + name + ".auth", false)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("route " + name + ": " + e.getMessage());
            }
        }
        String host = settings.string(PREFIX + "host", "127.0.0.1");
        int port = settings.integer(PREFIX + "port", 8080);
        return new GatewayConfig(
                settings.string(PREFIX + "id", "gateway-1"),
                host,
                port,
                routes,
                settings.bool(PREFIX + "trust.forwarded", false),
                settings.integer(PREFIX + "event.buffer", 10_000),
                AuthConfig.from(settings, "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port),
                settings.bool(PREFIX + "ingest.enabled", true),
                settings.bool(PREFIX + "ingest.auth", true));
    }
}
