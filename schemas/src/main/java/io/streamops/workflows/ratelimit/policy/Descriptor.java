package io.streamops.workflows.ratelimit.policy;

import java.util.List;
import java.util.Optional;

/**
 * One entry of a descriptor list: a key, an optional value (exact, or a prefix ending in {@code
 * *}), an optional limit, shadow mode, and nested descriptors. Without a limit and without nested
 * descriptors it lets its matches through unlimited, as in Envoy.
 *
 * @param line where it starts in its file, for messages
 */
public record Descriptor(
        String key, String value, Optional<Limit> limit, boolean shadow, List<Descriptor> descriptors, int line) {

    public Descriptor {
        descriptors = List.copyOf(descriptors);
    }

    boolean matchesExactly(String candidate) {
        return value != null && !value.endsWith("*") && value.equals(candidate);
    }

    boolean matchesPrefix(String candidate) {
        return value != null && value.endsWith("*") && candidate.startsWith(value.substring(0, value.length() - 1));
    }

    boolean matchesAny() {
        return value == null;
    }
}
