package io.streamops.gateway.auth.jwt;

import com.nimbusds.jose.jwk.JWK;
import java.util.List;
import java.util.Optional;

/** Several key sources, asked in order: the gateway's own keys, then an external issuer's. */
public record KeySources(List<KeySource> sources) implements KeySource {

    @Override
    public Optional<JWK> verificationKey(String kid) {
        for (KeySource source : sources) {
            Optional<JWK> key = source.verificationKey(kid);
            if (key.isPresent()) {
                return key;
            }
        }
        return Optional.empty();
    }
}
