package io.streamops.gateway.extension;

import io.streamops.schemas.config.ConfigGroup;
import java.util.List;
import java.util.Set;

/**
 * A part of the gateway that is not its core (server, router, proxy, filter chain, request events,
 * ingest): the auth server, a workflow's filter. Found by {@link java.util.ServiceLoader}; annotate
 * an implementation with {@code @AutoService(GatewayExtension.class)}. The gateway core names none
 * of them.
 */
public interface GatewayExtension {

    String name();

    /** The keys it reads that no workflow descriptor declares (a workflow's keys are its descriptor's). */
    default List<ConfigGroup> config() {
        return List.of();
    }

    /** The workflow parts it implements, by the names the descriptors give them (appliers, gateway operators). */
    Set<String> implementsParts();

    /** Starts its part in one gateway instance; what it returns runs on every request. */
    Installed install(GatewayContext context);
}
