package io.streamops.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A gateway's in-memory responses (Caffeine, bounded by entries, each gone at its expiry), by key:
 * the path and query string. A key holds its variants, one per principal and set of {@code Vary}
 * values, so evicting a key evicts every copy of it.
 */
final class NearCache {

    private final Cache<String, List<CachedResponse>> entries;
    private final Clock clock;

    NearCache(int maxKeys, Clock clock) {
        this.clock = clock;
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(new Expiry<String, List<CachedResponse>>() {
                    @Override
                    public long expireAfterCreate(String key, List<CachedResponse> value, long now) {
                        return untilLast(value);
                    }

                    @Override
                    public long expireAfterUpdate(String key, List<CachedResponse> value, long now, long current) {
                        return untilLast(value);
                    }

                    @Override
                    public long expireAfterRead(String key, List<CachedResponse> value, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    private long untilLast(List<CachedResponse> variants) {
        long last = variants.stream()
                .mapToLong(CachedResponse::expiresAtMillis)
                .max()
                .orElse(0);
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, last - clock.millis()));
    }

    /** What identifies a request among a key's variants: its principal, and the headers {@code vary} names. */
    static String variant(String principal, List<String> vary, Function<String, String> header) {
        StringBuilder v = new StringBuilder(principal == null ? "" : principal);
        for (String name : vary) {
            String value = header.apply(name);
            v.append('\n').append(name).append('=').append(value == null ? "" : value);
        }
        return v.toString();
    }

    /** The unexpired stored response for this request, or null. */
    CachedResponse find(String key, String principal, Function<String, String> header) {
        List<CachedResponse> variants = entries.getIfPresent(key);
        if (variants == null) {
            return null;
        }
        long now = clock.millis();
        for (CachedResponse entry : variants) {
            if (!entry.expiredAt(now) && entry.variant().equals(variant(principal, entry.vary(), header))) {
                return entry;
            }
        }
        return null;
    }

    /** Stores a response, in place of the key's copy of the same variant. */
    void put(String key, CachedResponse entry) {
        entries.asMap().compute(key, (k, variants) -> {
            List<CachedResponse> next = new ArrayList<>();
            long now = clock.millis();
            if (variants != null) {
                variants.stream()
                        .filter(v -> !v.variant().equals(entry.variant()) && !v.expiredAt(now))
                        .forEach(next::add);
            }
            next.add(entry);
            return List.copyOf(next);
        });
    }

    /** Removes this very entry, if it is still there (a fill found stale once stored). */
    void remove(String key, CachedResponse entry) {
        entries.asMap().computeIfPresent(key, (k, variants) -> {
            List<CachedResponse> next =
                    variants.stream().filter(v -> v != entry).toList();
            return next.isEmpty() ? null : next;
        });
    }

    /** Drops every variant of these keys and of every key under these prefixes; how many keys went. */
    int evict(Collection<String> keys, Collection<String> prefixes) {
        int evicted = 0;
        for (String key : keys) {
            if (entries.asMap().remove(key) != null) {
                evicted++;
            }
        }
        if (!prefixes.isEmpty()) {
            var it = entries.asMap().keySet().iterator();
            while (it.hasNext()) {
                String key = it.next();
                if (prefixes.stream().anyMatch(key::startsWith)) {
                    it.remove();
                    evicted++;
                }
            }
        }
        return evicted;
    }

    long size() {
        return entries.estimatedSize();
    }
}
