package io.streamops.gateway.keys;

import io.streamops.decisions.SigningKey;
import io.streamops.schemas.topics.TopicView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the rotation policy on a timer: publishes a key when one is due (keyed by kid on the
 * compacted signing-keys topic) and waits until this instance's ring has it; tombstones keys an
 * hour after their verification ended, so the topic stays small. Any instance may rotate: should
 * two publish for one period, all of them sign with the same one ({@link SigningKeyRing}).
 */
public final class KeyRotator {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRotator.class);

    private final KeyRotation rotation;
    private final SigningKeyRing ring;
    private final Producer<String, SigningKey> producer;
    private final TopicView<SigningKey> view;
    private final String topic;
    private final Clock clock;

    public KeyRotator(
            KeyRotation rotation,
            SigningKeyRing ring,
            Producer<String, SigningKey> producer,
            TopicView<SigningKey> view,
            String topic,
            Clock clock) {
        this.rotation = rotation;
        this.ring = ring;
        this.producer = producer;
        this.view = view;
        this.topic = topic;
        this.clock = clock;
    }

    /** One round of the policy; blocking. */
    public void tick() {
        Instant now = clock.instant();
        rotation.due(ring.lastSignUntil(), now).ifPresent(key -> {
            send(key.getKid(), key);
            LOG.info(
                    "Published signing key {} ({}), signing from {} until {}",
                    key.getKid(),
                    key.getAlgorithm(),
                    key.getSignFrom(),
                    key.getSignUntil());
        });
        for (String kid : ring.expiredBefore(now.minus(Duration.ofHours(1)))) {
            send(kid, null);
        }
    }

    private void send(String kid, SigningKey key) {
        try {
            view.writeAndAwait(producer, new ProducerRecord<>(topic, kid, key), Duration.ofSeconds(10));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("cannot publish signing key " + kid + ": " + e.getMessage(), e);
        }
    }
}
