package io.streamops.schemas.keys;

/**
 * The key a client is known by across the pipeline: its principal when authenticated, else its
 * address. The gateway keys request events by it and limits are decided and applied per it.
 */
public final class ClientKeys {

    private ClientKeys() {}

    public static String of(String principal, String clientAddress) {
        return principal != null ? "user:" + principal : "ip:" + clientAddress;
    }
}
