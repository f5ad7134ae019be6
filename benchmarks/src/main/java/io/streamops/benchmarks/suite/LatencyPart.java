package io.streamops.benchmarks.suite;

import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.wait.Deadline;
import io.streamops.schemas.wait.Poll;
import io.streamops.workflows.keys.KeysWorkflow;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * From an event entering the gateway to the decision it causes being readable by whoever applies
 * it; and from a signing key's publication to every gateway instance serving it.
 */
final class LatencyPart implements Part {

    private static final String ROTATION_PREFIX = "bench-rotation.";
    /** Keys rotated while the new instances are still starting up and compiling, not measured. */
    private static final int WARMUP_KEYS = 2;

    @Override
    public String name() {
        return "latency";
    }

    @Override
    public String title() {
        return "End-to-end decision latency";
    }

    @Override
    public String method() {
        return """
                On the running platform (a rate-limit policy of 2 requests per minute per \
                client, the gateway trusting X-Forwarded-For), each trial is a new client address sending 3 \
                requests through the gateway's open route; the third trips a RateLimit decision. Latency runs from \
                just before the third request is sent to the decision being read, committed, from `rate-limits` \
                by a read_committed consumer, which is where every gateway \
                picks it up: it spans the gateway's response, its request-event producer, the exactly-once Streams \
                transactions (commit interval 20 ms) and the consumer. One trial starts every 100 ms. Key \
                rotation: three more gateway instances with their own topics rotate every second (lead 500 ms); \
                latency runs from the signing key's record timestamp on `signing-keys` (when the rotating instance \
                produced it) until every instance lists it in its JWKS, polled every 2 ms. The baseline for both is \
                the plain Kafka hop on the same broker: an idempotent producer (acks=all) to a read_committed \
                consumer, one record at a time. The first fifth of the trials and the first %d keys warm up and are not counted.""".formatted(WARMUP_KEYS);
    }

    @Override
    public Result run(Bench bench) throws Exception {
        PlatformUnderTest platform = bench.platform();
        int trials = bench.quick() ? 30 : 150;
        Histogram kafka = kafkaRoundTrip(platform.bootstrap(), trials);
        List<String> notes = new ArrayList<>();
        Histogram decisions = decisionLatency(platform, trials, notes);
        Histogram keys = keyPropagation(platform, bench.quick() ? 5 : 20, notes);

        List<Figure> figures = new ArrayList<>();
        figures.add(figure("Kafka hop, produce to read_committed consume, p50", ms(kafka, 50), Double.NaN));
        figures.add(figure("Kafka hop, produce to read_committed consume, p99", ms(kafka, 99), Double.NaN));
        figures.add(figure("request to RateLimit decision, p50", ms(decisions, 50), ms(kafka, 50)));
        double decisionP99 = ms(decisions, 99);
        figures.add(figure("request to RateLimit decision, p99", decisionP99, ms(kafka, 99))
                .target("p99 < 200 ms", decisionP99 < 200));
        figures.add(figure("request to RateLimit decision, max", max(decisions), Double.NaN));
        figures.add(figure("signing key published to served by every instance, p50", ms(keys, 50), ms(kafka, 50)));
        double keyP99 = ms(keys, 99);
        figures.add(figure("signing key published to served by every instance, p99", keyP99, ms(kafka, 99))
                .target("p99 < 200 ms", keyP99 < 200));
        return new Result(figures, List.of(), notes);
    }

    private Figure figure(String name, double value, double kafkaHop) {
        Figure figure = Figure.of(name(), name, value, "ms", "lower");
        return Double.isNaN(kafkaHop) ? figure : figure.against("Kafka hop", kafkaHop);
    }

    private static Histogram kafkaRoundTrip(String bootstrap, int records) throws Exception {
        String topic = "bench-kafka-hop";
        KafkaClients kafka = KafkaClients.plain(bootstrap);
        try (Admin admin = kafka.admin("bench-kafka-hop")) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                        .all()
                        .get();
            }
        }
        Histogram latency = histogram();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = kafka.producer(
                        "bench-kafka-hop",
                        Map.of("acks", "all", "enable.idempotence", true, "linger.ms", 0),
                        new StringSerializer(),
                        new StringSerializer());
                KafkaConsumer<String, byte[]> consumer = readCommitted(bootstrap)) {
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            for (int i = 0; i < records; i++) {
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, "k", Integer.toString(i)));
                boolean received = false;
                long deadline = sent + TimeUnit.SECONDS.toNanos(10);
                while (!received && System.nanoTime() < deadline) {
                    received = !consumer.poll(Duration.ofMillis(100)).isEmpty();
                }
                if (!received) {
                    throw new IllegalStateException("record " + i + " was not read back within 10 s");
                }
                latency.recordValue(System.nanoTime() - sent);
            }
        }
        return latency;
    }

    private static Histogram decisionLatency(PlatformUnderTest platform, int trials, List<String> notes)
            throws Exception {
        Map<String, Long> decided = new ConcurrentHashMap<>();
        Map<String, Long> sent = new HashMap<>();
        String gateway = "http://127.0.0.1:" + platform.gatewayPort() + "/open/item";
        try (Tail tail = new Tail(
                platform.bootstrap(),
                RateLimitWorkflow.DECISIONS.name(),
                r -> decided.putIfAbsent(r.key(), System.nanoTime()))) {
            long base = System.nanoTime();
            String run = Long.toString(base % 200);
            int warmup = trials / 5;
            for (int trial = 0; trial < warmup + trials; trial++) {
                LockSupport.parkNanos(base + trial * TimeUnit.MILLISECONDS.toNanos(100) - System.nanoTime());
                String address = "10." + run + "." + trial / 250 + "." + trial % 250;
                Map<String, String> from = Map.of("X-Forwarded-For", address);
                Http.get(gateway, from);
                Http.get(gateway, from);
                long before = System.nanoTime();
                Http.get(gateway, from);
                if (trial >= warmup) {
                    sent.put("bench|remote_address=" + address, before);
                }
            }
            try {
                Poll.until(
                        "a decision for every trial",
                        Duration.ofSeconds(15),
                        () -> decided.keySet().containsAll(sent.keySet()));
            } catch (Deadline.TimedOut e) {
                // Counted below as trials without a decision.
            }
        }
        Histogram latency = histogram();
        long missing = 0;
        for (Map.Entry<String, Long> trial : sent.entrySet()) {
            Long at = decided.get(trial.getKey());
            if (at == null) {
                missing++;
            } else {
                latency.recordValue(at - trial.getValue());
            }
        }
        notes.add(String.format(
                Locale.ROOT,
                "Decision latency: %d trials, %d decided, %d without a decision within 15 s.",
                trials,
                trials - missing,
                missing));
        return latency;
    }

    private static Histogram keyPropagation(PlatformUnderTest platform, int keys, List<String> notes) throws Exception {
        Map<String, String> rotation = Map.of(
                "streamops.topic.prefix", ROTATION_PREFIX,
                "streamops.gateway.auth.rotation.interval", "1s",
                "streamops.gateway.auth.rotation.lead", "500ms");
        List<String> jwks = new ArrayList<>();
        for (String id : List.of("bench-gw-1", "bench-gw-2", "bench-gw-3")) {
            jwks.add("http://127.0.0.1:" + platform.startGateway(id, rotation) + "/api/auth/jwks");
        }
        Map<String, Long> published = new ConcurrentHashMap<>();
        Histogram latency = histogram();
        AtomicBoolean enough = new AtomicBoolean();
        try (Tail tail = new Tail(platform.bootstrap(), ROTATION_PREFIX + KeysWorkflow.SIGNING_KEYS.name(), r -> {
            if (r.value() != null) {
                published.putIfAbsent(r.key(), r.timestamp());
            }
        })) {
            Set<String> seen = ConcurrentHashMap.newKeySet();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(keys * 3L + 20);
            while (latency.getTotalCount() < keys && System.nanoTime() < deadline) {
                for (Map.Entry<String, Long> key : published.entrySet()) {
                    if (!seen.contains(key.getKey())
                            && servedByAll(jwks, key.getKey())
                            && seen.add(key.getKey())
                            && seen.size() > WARMUP_KEYS) {
                        latency.recordValue(TimeUnit.MILLISECONDS.toNanos(
                                Math.max(0, System.currentTimeMillis() - key.getValue())));
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
            enough.set(latency.getTotalCount() >= keys);
        }
        notes.add(String.format(
                Locale.ROOT,
                "Key rotation: %d keys measured across %d gateway instances%s.",
                latency.getTotalCount(),
                jwks.size(),
                enough.get() ? "" : " (fewer than wanted before the deadline)"));
        return latency;
    }

    private static boolean servedByAll(List<String> jwksUrls, String kid) throws Exception {
        for (String url : jwksUrls) {
            JsonObject jwks = Http.ok(Http.get(url, Map.of()));
            boolean served = jwks.getJsonArray("keys").stream()
                    .map(JsonObject.class::cast)
                    .anyMatch(k -> kid.equals(k.getString("kid")));
            if (!served) {
                return false;
            }
        }
        return true;
    }

    private static KafkaConsumer<String, byte[]> readCommitted(String bootstrap) {
        return KafkaClients.plain(bootstrap)
                .consumer(
                        "bench-read-" + System.nanoTime(),
                        Map.of("isolation.level", "read_committed", "enable.auto.commit", false),
                        new StringDeserializer(),
                        new ByteArrayDeserializer());
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toNanos(1), 3);
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1e6;
    }

    private static double max(Histogram histogram) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1e6;
    }

    /** Reads a topic from its current end on a thread of its own, handing each record over as it comes. */
    static final class Tail implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Tail(String bootstrap, String topic, Consumer<ConsumerRecord<String, byte[]>> onRecord) {
            KafkaConsumer<String, byte[]> consumer = readCommitted(bootstrap);
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread = new Thread(
                    () -> {
                        try (consumer) {
                            while (running.get()) {
                                consumer.poll(Duration.ofMillis(50)).forEach(onRecord);
                            }
                        }
                    },
                    "bench-tail-" + topic);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
