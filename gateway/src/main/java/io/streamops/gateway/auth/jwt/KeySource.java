package io.streamops.gateway.auth.jwt;

import com.nimbusds.jose.jwk.JWK;
import java.util.Optional;

/** Where a verifier finds public keys by kid: the gateway's own key ring, or an external issuer's JWKS. */
public interface KeySource {

    /** The public key with this kid that may verify tokens now, if any. */
    Optional<JWK> verificationKey(String kid);
}
