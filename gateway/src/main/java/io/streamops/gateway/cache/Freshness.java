package io.streamops.gateway.cache;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Which stored responses an invalidation made stale, by the invalidation's offset on its
 * one-partition topic, a sequence every gateway shares. A fill takes the last offset applied here
 * as its basis before it asks the upstream; a response is fresh when no invalidation after its basis
 * names its key or a prefix of it. So a fill that raced an invalidation is discarded, and a Redis
 * copy stored by a gateway that had not yet applied one is refused by every gateway that has.
 *
 * <p>Invalidations are kept for {@code retainMillis} (the longest TTL, so that any entry still
 * within its TTL can be judged): older ones are dropped and the floor rises past them; an entry
 * whose basis is below the floor cannot be judged and counts as stale.
 */
final class Freshness {

    private record Applied(long offset, long atMillis, Collection<String> keys, Collection<String> prefixes) {}

    private final long retainMillis;
    private final ArrayDeque<Applied> log = new ArrayDeque<>();
    private final Map<String, Long> lastByKey = new HashMap<>();
    private final Map<String, Long> lastByPrefix = new HashMap<>();
    private long floor;
    private volatile long appliedThrough;

    /** @param startOffset the next offset this gateway will apply: what comes before it is unknown here */
    Freshness(long startOffset, long retainMillis) {
        this.floor = startOffset - 1;
        this.appliedThrough = startOffset - 1;
        this.retainMillis = retainMillis;
    }

    /** The basis of a fill that starts now: the last invalidation applied. */
    long basis() {
        return appliedThrough;
    }

    /** Records an invalidation, before the near-cache drops what it names (see {@link NearCache}). */
    synchronized void applied(long offset, Collection<String> keys, Collection<String> prefixes, long atMillis) {
        log.addLast(new Applied(offset, atMillis, keys, prefixes));
        keys.forEach(k -> lastByKey.put(k, offset));
        prefixes.forEach(p -> lastByPrefix.put(p, offset));
        appliedThrough = offset;
        trim(atMillis);
    }

    /** Whether a response for {@code key} with this basis is as new as every invalidation applied here. */
    synchronized boolean fresh(String key, long basis) {
        if (basis < floor) {
            return false;
        }
        Long byKey = lastByKey.get(key);
        if (byKey != null && byKey > basis) {
            return false;
        }
        for (Map.Entry<String, Long> prefix : lastByPrefix.entrySet()) {
            if (prefix.getValue() > basis && key.startsWith(prefix.getKey())) {
                return false;
            }
        }
        return true;
    }

    synchronized void trim(long nowMillis) {
        while (!log.isEmpty() && log.peekFirst().atMillis() < nowMillis - retainMillis) {
            Applied old = log.removeFirst();
            old.keys().forEach(k -> lastByKey.remove(k, old.offset()));
            old.prefixes().forEach(p -> lastByPrefix.remove(p, old.offset()));
            floor = old.offset();
        }
    }

    synchronized int size() {
        return log.size();
    }
}
