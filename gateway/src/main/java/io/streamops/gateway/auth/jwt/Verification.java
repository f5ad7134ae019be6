package io.streamops.gateway.auth.jwt;

import com.nimbusds.jwt.JWTClaimsSet;

/** The outcome of verifying a token: its claims, or why it was refused. */
public sealed interface Verification {

    record Valid(JWTClaimsSet claims, String kid) implements Verification {}

    record Rejected(Rejection reason, String detail) implements Verification {}

    default boolean valid() {
        return this instanceof Valid;
    }
}
