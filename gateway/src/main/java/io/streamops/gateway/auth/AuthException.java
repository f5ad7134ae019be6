package io.streamops.gateway.auth;

/** A refused auth request: HTTP status, Better-Auth's error code and a message for people. */
public final class AuthException extends RuntimeException {

    private final int status;
    private final String code;

    public AuthException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
