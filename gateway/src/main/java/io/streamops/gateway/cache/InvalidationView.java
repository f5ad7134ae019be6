package io.streamops.gateway.cache;

import io.streamops.common.Mode;
import io.streamops.decisions.CacheInvalidation;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.wait.Poll;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies cache invalidations in this gateway the moment they are committed: records each in
 * {@link Freshness}, then evicts what it names from the near-cache; the first live gateway also
 * deletes it from Redis. Unlike a decision view it keeps no table: an invalidation is a command with
 * an order. It starts from the invalidations of the last {@code retain} (so it can judge the Redis
 * copies stored meanwhile) and reads on from there.
 */
final class InvalidationView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InvalidationView.class);
    private static final Map<String, Object> READ_COMMITTED =
            Map.of("isolation.level", "read_committed", "enable.auto.commit", false);

    private final KafkaConsumer<String, CacheInvalidation> consumer;
    private final Freshness freshness;
    private final NearCache near;
    private final RedisTier redis;
    private final BooleanSupplier deletesFromRedis;
    private final Clock clock;
    private final Thread reader;
    private volatile boolean running = true;

    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong shadowed = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong redisDeleted = new AtomicLong();
    private final AtomicLong redisErrors = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private volatile long lastLagMillis = -1;

    /**
     * @param redis the shared tier, or null
     * @param deletesFromRedis whether this gateway is the one that deletes from Redis, asked per invalidation
     */
    InvalidationView(
            KafkaClients kafka,
            BoundTopic<String, CacheInvalidation> topic,
            String gatewayId,
            NearCache near,
            RedisTier redis,
            BooleanSupplier deletesFromRedis,
            Duration retain,
            Clock clock) {
        this.near = near;
        this.redis = redis;
        this.deletesFromRedis = deletesFromRedis;
        this.clock = clock;
        this.consumer = kafka.consumer(
                "streamops-" + gatewayId + "-cache-invalidations",
                READ_COMMITTED,
                topic.key().deserializer(),
                topic.value().deserializer());
        TopicPartition partition = new TopicPartition(topic.name(), 0);
        Poll.until(
                "the partition of " + topic.name(),
                Duration.ofSeconds(30),
                () -> !consumer.partitionsFor(topic.name(), Duration.ofSeconds(5))
                        .isEmpty());
        consumer.assign(List.of(partition));
        OffsetAndTimestamp since = consumer.offsetsForTimes(Map.of(partition, clock.millis() - retain.toMillis()))
                .get(partition);
        long start = since == null ? consumer.endOffsets(List.of(partition)).get(partition) : since.offset();
        consumer.seek(partition, start);
        this.freshness = new Freshness(start, retain.toMillis());
        this.reader = new Thread(this::readLoop, "cache-invalidations");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    Freshness freshness() {
        return freshness;
    }

    private void readLoop() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, CacheInvalidation> record : consumer.poll(Duration.ofMillis(200))) {
                        apply(record);
                    }
                } catch (RecordDeserializationException e) {
                    unreadable.incrementAndGet();
                    LOG.warn(
                            "Skipping unreadable invalidation {}@{}: {}",
                            e.topicPartition(),
                            e.offset(),
                            e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        } catch (WakeupException e) {
            // Closing.
        } catch (RuntimeException e) {
            LOG.error("Cache invalidations stopped; this gateway's cache may serve stale entries", e);
        } finally {
            consumer.close();
        }
    }

    private void apply(ConsumerRecord<String, CacheInvalidation> record) {
        CacheInvalidation decision = record.value();
        long now = clock.millis();
        if (decision == null || decision.getEnvelope().getMode() == Mode.SHADOW) {
            shadowed.incrementAndGet();
            freshness.applied(record.offset(), List.of(), List.of(), now);
            return;
        }
        // The log first, the eviction second: a fill stored between them fails its re-check.
        freshness.applied(record.offset(), decision.getKeys(), decision.getPrefixes(), now);
        evicted.addAndGet(near.evict(decision.getKeys(), decision.getPrefixes()));
        applied.incrementAndGet();
        if (decision.getCommittedAt() != null) {
            lastLagMillis = now - decision.getCommittedAt().toEpochMilli();
        }
        if (redis != null && deletesFromRedis.getAsBoolean()) {
            redis.delete(decision.getKeys(), decision.getPrefixes()).whenComplete((n, error) -> {
                if (error != null) {
                    redisErrors.incrementAndGet();
                    LOG.warn("Redis delete of {} failed: {}", decision.getKeys(), error.toString());
                } else {
                    redisDeleted.addAndGet(n);
                }
            });
        }
    }

    Map<String, Long> counters() {
        return Map.of(
                "invalidationsApplied", applied.get(),
                "invalidationsShadowed", shadowed.get(),
                "keysEvicted", evicted.get(),
                "redisKeysDeleted", redisDeleted.get(),
                "redisDeleteErrors", redisErrors.get(),
                "unreadableInvalidations", unreadable.get(),
                "lastCommitToAppliedMillis", lastLagMillis);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
