package io.streamops.schemas.registry;

import java.io.Serializable;

/** Builds registry clients; serializable so that Flink tasks can build their own after deployment. */
@FunctionalInterface
public interface RegistryClients extends Serializable {

    SchemaRegistryClient create();

    /** A cached REST client for the registry at {@code url}. */
    static RegistryClients rest(String url) {
        return () -> new CachedSchemaRegistryClient(new RestSchemaRegistryClient(url));
    }
}
