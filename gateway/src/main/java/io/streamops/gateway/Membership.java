package io.streamops.gateway;

import io.streamops.events.Heartbeat;
import io.streamops.events.HeartbeatKind;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.topics.TopicView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The gateway instances of a deployment, as their heartbeats on the heartbeats topic say: each
 * instance beats every second (service {@code gateway}, instance its id), and reads the others'. An
 * extension that shares something among the live instances (a rate limit) asks {@link #live}.
 */
public final class Membership implements AutoCloseable {

    public static final String SERVICE = "gateway";

    private final String self;
    private final Producer<String, Heartbeat> producer;
    private final String topic;
    private final Clock clock;
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final TopicView<Heartbeat> view;
    /** When this instance last read its own heartbeat back from the topic. */
    private volatile Instant echoed;

    Membership(
            String self,
            KafkaClients kafka,
            BoundTopic<String, Heartbeat> heartbeats,
            Producer<String, Heartbeat> producer,
            Clock clock) {
        this.self = self;
        this.producer = producer;
        this.topic = heartbeats.name();
        this.clock = clock;
        this.echoed = clock.instant();
        this.view = new TopicView<>(
                kafka,
                heartbeats.name(),
                heartbeats.key().deserializer(),
                heartbeats.value().deserializer(),
                r -> {
                    Heartbeat beat = r.value();
                    if (beat != null
                            && SERVICE.equals(beat.getService())
                            && beat.getKind() == HeartbeatKind.HEARTBEAT) {
                        lastSeen.merge(beat.getInstance(), beat.getOccurredAt(), (a, b) -> a.isAfter(b) ? a : b);
                        if (self.equals(beat.getInstance())) {
                            echoed = clock.instant();
                        }
                    }
                });
        beat();
    }

    /** Publishes this instance's heartbeat (it counts itself at once, before its own beat comes back). */
    void beat() {
        Instant now = clock.instant();
        lastSeen.merge(self, now, (a, b) -> a.isAfter(b) ? a : b);
        producer.send(new ProducerRecord<>(
                topic,
                self,
                Heartbeat.newBuilder()
                        .setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(now)
                        .setService(SERVICE)
                        .setInstance(self)
                        .setKind(HeartbeatKind.HEARTBEAT)
                        .setProbe(null)
                        .setHealthy(true)
                        .setLatencyMicros(null)
                        .setDetail(null)
                        .build()));
    }

    /** How many instances beat within {@code timeout}, this one included (so never less than one). */
    public int live(Duration timeout) {
        Instant since = clock.instant().minus(timeout);
        lastSeen.values().removeIf(seen -> seen.isBefore(since.minus(timeout)));
        return (int) Math.max(
                1,
                lastSeen.values().stream().filter(seen -> !seen.isBefore(since)).count());
    }

    /**
     * Whether this instance comes first, by id, among those that beat within {@code timeout}: the one
     * that does what only one of them should (when it stops beating, the next takes over).
     */
    public boolean first(Duration timeout) {
        Instant since = clock.instant().minus(timeout);
        return lastSeen.entrySet().stream()
                .filter(e -> !e.getValue().isBefore(since))
                .map(Map.Entry::getKey)
                .allMatch(id -> id.compareTo(self) >= 0);
    }

    /**
     * Whether this instance read its own heartbeat back within {@code timeout}: while it does not, what
     * it reads from Kafka (other instances, decisions) may be out of date.
     */
    public boolean connected(Duration timeout) {
        return !echoed.isBefore(clock.instant().minus(timeout));
    }

    @Override
    public void close() {
        view.close();
    }
}
