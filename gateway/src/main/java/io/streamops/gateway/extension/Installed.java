package io.streamops.gateway.extension;

import io.streamops.gateway.filter.GatewayFilter;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Consumer;

/**
 * What an extension adds to a gateway instance: filters on every routed request, and endpoints of
 * its own (mounted on the router before the routes, e.g. {@code /api/auth/*}).
 */
public record Installed(List<GatewayFilter> filters, List<Consumer<Router>> mounts) {

    public Installed {
        filters = List.copyOf(filters);
        mounts = List.copyOf(mounts);
    }

    public static Installed nothing() {
        return new Installed(List.of(), List.of());
    }

    public static Installed filter(GatewayFilter filter) {
        return new Installed(List.of(filter), List.of());
    }
}
