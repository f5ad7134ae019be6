package io.streamops.gateway.auth;

import java.time.Duration;
import java.util.Optional;

/** A refused auth request: HTTP status, Better-Auth's error code and a message for people. */
public final class AuthException extends RuntimeException {

    private final int status;
    private final String code;
    private final Duration retryAfter;

    public AuthException(int status, String code, String message) {
        this(status, code, message, null);
    }

    private AuthException(int status, String code, String message, Duration retryAfter) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    /** Better-Auth's rate-limit answer: 429, its message, and when to try again (its X-Retry-After, in seconds). */
    public static AuthException tooManyRequests(Duration retryAfter) {
        return new AuthException(429, "TOO_MANY_REQUESTS", "Too many requests. Please try again later.", retryAfter);
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
