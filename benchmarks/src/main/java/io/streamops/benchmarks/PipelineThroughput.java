package io.streamops.benchmarks;

import io.streamops.broker.EmbeddedKafkaBroker;
import io.streamops.events.RequestEvent;
import io.streamops.platform.Replay;
import io.streamops.registry.RegistryServer;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.registry.CachedSchemaRegistryClient;
import io.streamops.schemas.registry.RestSchemaRegistryClient;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.testing.TestEvents;
import io.streamops.schemas.topics.TopicAdmin;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.TopicView;
import io.streamops.schemas.topics.Topics;
import io.streamops.topologies.runtime.StreamsOperator;
import io.streamops.topologies.runtime.StreamsOperators;
import io.streamops.topologies.runtime.StreamsRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Each Kafka Streams operator's throughput against the raw producer and consumer, measured in one
 * run on one broker: N request events are produced (the raw producer rate, acks=all, idempotent),
 * read back (the raw consumer rate, read_committed), then each operator processes them from the
 * beginning under exactly_once_v2 until its committed offsets reach the end.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.streamops.benchmarks.PipelineThroughput [events]</pre>
 */
public final class PipelineThroughput {

    private PipelineThroughput() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        Path dir = Files.createTempDirectory("streamops-pipeline-bench");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Config.ephemeral(dir));
                RegistryServer registryServer = RegistryServer.start(RegistryServer.Config.defaults(broker.bootstrapServers(), 0))) {
            SchemaRegistryClient registry = new CachedSchemaRegistryClient(new RestSchemaRegistryClient(registryServer.url()));
            String bootstrap = broker.bootstrapServers();
            TopicNaming naming = new TopicNaming("bench.", Map.of());
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                TopicAdmin.createMissing(admin, naming.resolveAll(Topics.ALL), (short) 1);
            }
            BoundTopic<String, RequestEvent> requests = TopicBinder.of(registry, true, naming).bind(Topics.REQUESTS);

            double producerRate = produce(bootstrap, requests, events);
            double consumerRate = consume(bootstrap, requests.name(), events);
            System.out.printf("raw producer: %,.0f rec/s (acks=all, idempotent)%nraw consumer: %,.0f rec/s (read_committed)%n",
                    producerRate, consumerRate);
            for (StreamsOperator operator : StreamsOperators.ALL) {
                double rate = operator(operator, bootstrap, registry, naming, dir.resolve("streams"), events);
                System.out.printf("%s: %,.0f rec/s under exactly_once_v2 = %.2f x the raw producer, %.2f x the raw consumer%n",
                        operator.name(), rate, rate / producerRate, rate / consumerRate);
            }
        }
    }

    private static double produce(String bootstrap, BoundTopic<String, RequestEvent> topic, int events) throws Exception {
        // Current times: events older than the topic's retention would be deleted mid-run.
        Instant start = Instant.now();
        try (KafkaProducer<String, RequestEvent> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", true, "linger.ms", 5), new StringSerializer(), topic.value().serializer())) {
            long t0 = System.nanoTime();
            for (int i = 0; i < events; i++) {
                String client = "198.51.100." + (i % 200);
                producer.send(new ProducerRecord<>(topic.name(), null, start.plusMillis(i / 50).toEpochMilli(), "ip:" + client,
                        TestEvents.request("e-" + i, start.plusMillis(i / 50)).setClientAddress(client).build()));
            }
            producer.flush();
            return events / seconds(t0);
        }
    }

    private static double consume(String bootstrap, String topic, int events) {
        AtomicLong read = new AtomicLong();
        long t0 = System.nanoTime();
        TopicView.readAll(bootstrap, topic, new StringDeserializer(),
                new ByteArrayDeserializer(), record -> read.incrementAndGet());
        if (read.get() != events) {
            throw new IllegalStateException("read " + read.get() + " of " + events);
        }
        return events / seconds(t0);
    }

    private static double operator(StreamsOperator operator, String bootstrap, SchemaRegistryClient registry, TopicNaming naming,
            Path stateDir, int events) throws Exception {
        String prefix = "streamops-bench-" + System.nanoTime() + "-";
        StreamsRunner.Config config = new StreamsRunner.Config(prefix, bootstrap, stateDir, "exactly_once_v2", (short) 1,
                Duration.ofMillis(100), Map.of());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
                StreamsRunner runner = new StreamsRunner(operator, config, TopicBinder.of(registry, true, naming),
                        Settings.of(Map.of()), registry)) {
            long t0 = System.nanoTime();
            runner.start();
            runner.awaitRunning(Duration.ofMinutes(2));
            System.out.printf("%s: running after %.1f s (group join, exactly-once producer setup)%n", operator.name(), seconds(t0));
            List<String> inputs = operator.topics().stream()
                    .filter(t -> !t.name().startsWith("decisions.") && !t.name().startsWith("dlq."))
                    .map(t -> naming.resolve(t.name())).toList();
            Replay.awaitCaughtUp(admin, prefix + operator.name(), inputs, Duration.ofMinutes(10));
            double total = seconds(t0);
            System.out.printf("%s: caught up after %.1f s in all%n", operator.name(), total);
            return events / total;
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
