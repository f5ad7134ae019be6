package io.streamops.schemas.registry;

import io.streamops.schemas.config.ConfigKey;
import java.io.Serializable;

/** Builds registry clients; serializable so that Flink tasks can build their own after deployment. */
@FunctionalInterface
public interface RegistryClients extends Serializable {

    /** Where the schema registry is; every part that encodes or decodes Avro reads it. */
    ConfigKey<String> URL = ConfigKey.string(
                    "streamops.registry.url",
                    null,
                    "URL of an external Confluent-compatible registry; unset, the platform runs its embedded one")
            .defaultDoc("(embedded)");

    SchemaRegistryClient create();

    /** A cached REST client for the registry at {@code url}. */
    static RegistryClients rest(String url) {
        return () -> new CachedSchemaRegistryClient(new RestSchemaRegistryClient(url));
    }
}
