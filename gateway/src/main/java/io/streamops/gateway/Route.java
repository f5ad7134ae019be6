package io.streamops.gateway;

import java.util.List;
import java.util.Objects;

/**
 * One entry of the route table: requests whose path starts with {@code prefix} go to one of the
 * {@code upstreams} (host:port), round robin. What else applies to a route (a token it requires, a
 * cache) is its filters' business, by the route's name.
 */
public record Route(String name, String prefix, List<Upstream> upstreams) {

    public record Upstream(String host, int port) {
        static Upstream parse(String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostPort.length() - 1) {
                throw new IllegalArgumentException("upstream '" + hostPort + "' is not host:port");
            }
            return new Upstream(
                    hostPort.substring(0, colon).trim(),
                    Integer.parseInt(hostPort.substring(colon + 1).trim()));
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public Route {
        Objects.requireNonNull(name, "name");
        if (prefix == null || !prefix.startsWith("/")) {
            throw new IllegalArgumentException("route " + name + ": prefix must start with '/', was " + prefix);
        }
        if (upstreams == null || upstreams.isEmpty()) {
            throw new IllegalArgumentException("route " + name + ": needs at least one upstream");
        }
        upstreams = List.copyOf(upstreams);
    }

    /** Whether the path falls under this route: the prefix itself or below it. */
    public boolean matches(String path) {
        if (prefix.equals("/")) {
            return true;
        }
        String bare = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return path.equals(bare) || path.startsWith(bare + "/");
    }
}
