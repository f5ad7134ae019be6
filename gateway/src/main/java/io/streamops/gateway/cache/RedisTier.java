package io.streamops.gateway.cache;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The tier every gateway shares (Redis, through Lettuce): a hash per cache key, one field per
 * variant, under a namespace of the deployment's. Reads have a deadline (a slow Redis is a miss);
 * writes are not waited for. Deleting is idempotent: a key already gone is no error.
 */
final class RedisTier implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisAsyncCommands<String, byte[]> redis;
    private final String namespace;
    private final long timeoutMillis;

    RedisTier(String uri, String namespace, Duration timeout) {
        this.client = RedisClient.create(uri);
        this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        this.redis = connection.async();
        this.namespace = namespace;
        this.timeoutMillis = timeout.toMillis();
    }

    String redisKey(String key) {
        return namespace + key;
    }

    /** Every stored variant of a key (none when Redis has none, or answers too late). */
    CompletionStage<List<CachedResponse>> variants(String key) {
        return redis.hgetall(redisKey(key))
                .toCompletableFuture()
                .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .thenApply(fields -> {
                    List<CachedResponse> result = new ArrayList<>(fields.size());
                    for (Map.Entry<String, byte[]> field : fields.entrySet()) {
                        CachedResponse entry = CachedResponse.decode(field.getValue());
                        if (entry != null) {
                            result.add(entry);
                        }
                    }
                    return result;
                });
    }

    /** Stores a variant; the key lives as long as the entry just written. */
    CompletionStage<Boolean> put(String key, CachedResponse entry, long nowMillis) {
        String redisKey = redisKey(key);
        long ttl = Math.max(1, entry.expiresAtMillis() - nowMillis);
        return redis.hset(redisKey, entry.variant(), entry.encode()).thenCompose(added -> redis.pexpire(redisKey, ttl));
    }

    /** Deletes these keys and every key under these prefixes; completes with how many keys went. */
    CompletionStage<Long> delete(Collection<String> keys, Collection<String> prefixes) {
        CompletionStage<Long> exact = keys.isEmpty()
                ? CompletableFuture.completedFuture(0L)
                : redis.del(keys.stream().map(this::redisKey).toArray(String[]::new));
        CompletionStage<Long> all = exact;
        for (String prefix : prefixes) {
            ScanArgs match =
                    ScanArgs.Builder.matches(glob(redisKey(prefix)) + "*").limit(500);
            all = all.thenCombine(deleteScanned(ScanCursor.INITIAL, match, 0L), Long::sum);
        }
        return all;
    }

    private CompletionStage<Long> deleteScanned(ScanCursor cursor, ScanArgs match, long deleted) {
        return redis.scan(cursor, match).thenCompose((KeyScanCursor<String> page) -> {
            CompletionStage<Long> here = page.getKeys().isEmpty()
                    ? CompletableFuture.completedFuture(0L)
                    : redis.del(page.getKeys().toArray(String[]::new));
            return here.thenCompose(n -> page.isFinished()
                    ? CompletableFuture.completedFuture(deleted + n)
                    : deleteScanned(page, match, deleted + n));
        });
    }

    /** A literal for Redis' glob-style MATCH: its special characters escaped. */
    static String glob(String literal) {
        StringBuilder escaped = new StringBuilder(literal.length() + 8);
        for (char c : literal.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\' || c == '^' || c == '-') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
