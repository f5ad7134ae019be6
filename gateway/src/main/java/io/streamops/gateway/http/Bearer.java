package io.streamops.gateway.http;

import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/** The one reading of {@code Authorization: Bearer <credentials>} (the scheme is case-insensitive, RFC 6750). */
public final class Bearer {

    private Bearer() {}

    /** The credentials after "Bearer ", without surrounding whitespace; empty without such a header. */
    public static Optional<String> credentials(HttpServerRequest request) {
        return credentials(request.getHeader("Authorization"));
    }

    public static Optional<String> credentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(7).trim());
    }
}
