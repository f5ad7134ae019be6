package io.streamops.gateway.view;

import java.util.Optional;

/** The live decision about a key, as a filter asks for it on the request path. */
@FunctionalInterface
public interface DecisionLookup<D> {

    Optional<D> current(String key);
}
