package io.streamops.benchmarks.suite;

import io.streamops.broker.EmbeddedKafkaBroker;
import io.streamops.platform.FlinkProcess;
import io.streamops.platform.Replay;
import io.streamops.registry.RegistryServer;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.registry.CachedSchemaRegistryClient;
import io.streamops.schemas.registry.RestSchemaRegistryClient;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.testing.SampleEvents;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicAdmin;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.TopicRole;
import io.streamops.schemas.topics.TopicView;
import io.streamops.schemas.workflow.Workflow;
import io.streamops.schemas.workflow.Workflows;
import io.streamops.topologies.runtime.StreamsOperator;
import io.streamops.topologies.runtime.StreamsOperators;
import io.streamops.topologies.runtime.StreamsRunner;
import io.streamops.workflows.batching.BatchingWorkflow;
import io.streamops.workflows.cache.CacheWorkflow;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Every Kafka Streams operator and Flink job against the raw producer and consumer, on one broker in
 * one run: N events are produced to each input topic (the raw producer rate), read back (the raw
 * consumer rate), then each operator processes them from the beginning under exactly-once until its
 * committed offsets reach the end.
 */
final class PipelinePart implements Part {

    @Override
    public String name() {
        return "pipeline";
    }

    @Override
    public String title() {
        return "Pipeline throughput: operators against the raw producer and consumer";
    }

    @Override
    public String method() {
        return """
                One embedded KRaft broker and registry in the suite's JVM. For each input topic, N Avro events are \
                produced (idempotent, acks=all, Confluent framing through the registry): the raw producer rate, \
                taken after a fifth as many have gone to a scratch topic to warm the produce path. \
                They are read back read_committed as bytes: the raw consumer rate. Then each operator starts on \
                them from the beginning under exactly-once and runs until its committed offsets reach the end of \
                its inputs: a Kafka Streams operator in this JVM (exactly_once_v2, commit interval 100 ms, \
                request-rate's and cache-invalidation's 20 ms; request-rate under the demo's rate-limit policy, \
                a bucket per client address, every request matched and repartitioned by bucket; \
                cache-invalidation under rules by which every row change, a product moving category, makes \
                one key and two prefixes stale; cache-ttl over the same requests, a quarter of them lookups of \
                a cached route, and over cache-invalidation's decisions, repartitioned to its one task), \
                counted from its start (so including the group join and the transactional producer's setup) and \
                from its reaching RUNNING, which is its processing rate and what the target judges; a Flink \
                job on a local MiniCluster in a child JVM (parallelism 2, checkpoints every second with the \
                transactional Kafka sink, offsets committed on checkpoints), counted from job submission, so it \
                includes up to a checkpoint interval of commit lag. Events carry current times (old ones would \
                fall to retention mid-run).""";
    }

    @Override
    public Result run(Bench bench) throws Exception {
        int events = bench.quick() ? 100_000 : 600_000;
        Path dir = bench.work().resolve("pipeline-" + System.nanoTime());
        Files.createDirectories(dir);
        List<Figure> figures = new ArrayList<>();
        try (EmbeddedKafkaBroker broker =
                        EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Config.ephemeral(dir.resolve("kafka")));
                RegistryServer registryServer =
                        RegistryServer.start(RegistryServer.Config.defaults(broker.clients(), 0));
                Admin admin = broker.clients().admin("bench-pipeline")) {
            SchemaRegistryClient registry =
                    new CachedSchemaRegistryClient(new RestSchemaRegistryClient(registryServer.url()));
            KafkaClients kafka = broker.clients();
            TopicNaming naming = new TopicNaming("bench.", Map.of());
            TopicAdmin.createMissing(admin, naming.resolveAll(Workflows.topics()), (short) 1);
            TopicBinder binder = TopicBinder.of(registry, true, naming);
            List<Workflow.Operator> operators = new ArrayList<>(Workflows.operators(Workflow.Engine.KAFKA_STREAMS));
            operators.addAll(Workflows.operators(Workflow.Engine.FLINK));
            Set<Topic<?, ?>> inputs = new LinkedHashSet<>();
            // Event inputs get N events each; config inputs (policies) get the operator's policy instead.
            operators.forEach(o ->
                    o.inputs().stream().filter(t -> t.role() == TopicRole.EVENT).forEach(inputs::add));

            // The produce path (client, serializer, broker) is compiled before a rate is taken, so that
            // the topic measured first does not also pay for the JIT.
            for (Topic<?, ?> topic : inputs) {
                String scratch = naming.resolve(topic.name()) + ".warmup";
                admin.createTopics(List.of(new NewTopic(scratch, topic.partitions(), (short) 1)))
                        .all()
                        .get();
                TopicAdmin.awaitWritable(admin, List.of(scratch), Duration.ofSeconds(30));
                produce(kafka, binder, topic, scratch, events / 5);
            }
            Map<String, Double> producerRates = new LinkedHashMap<>();
            for (Topic<?, ?> topic : inputs) {
                double produced = produce(kafka, binder, topic, naming.resolve(topic.name()), events);
                double consumed = consume(kafka, naming.resolve(topic.name()), events);
                producerRates.put(topic.name(), produced);
                figures.add(Figure.of(name(), "raw producer, " + topic.name(), produced, "rec/s", "higher"));
                figures.add(Figure.of(name(), "raw consumer, " + topic.name(), consumed, "rec/s", "higher"));
            }
            for (StreamsOperator operator : StreamsOperators.all()) {
                List<String> in = operator.descriptor().inputs().stream()
                        .filter(t -> t.role() == TopicRole.EVENT)
                        .map(Topic::name)
                        .toList();
                Rates rates =
                        streams(operator, kafka, binder, registry, naming, in, admin, dir.resolve("streams"), events);
                double producer = inputRate(producerRates, operator.name(), in);
                figures.add(Figure.of(
                                name(),
                                operator.name() + " (Kafka Streams, exactly_once_v2), from start",
                                rates.fromStart(),
                                "rec/s",
                                "higher")
                        .against("raw producer", producer));
                figures.add(Figure.of(
                                name(),
                                operator.name() + " (Kafka Streams, exactly_once_v2), from RUNNING",
                                rates.fromRunning(),
                                "rec/s",
                                "higher")
                        .against("raw producer", producer)
                        .target("≥ 0.5× the raw producer", rates.fromRunning() / producer >= 0.5));
            }
            for (Workflow.Operator job : Workflows.operators(Workflow.Engine.FLINK)) {
                List<String> in = job.inputs().stream()
                        .filter(t -> t.role() == TopicRole.EVENT)
                        .map(Topic::name)
                        .toList();
                double rate = flink(
                        bench.home(),
                        job.name(),
                        kafka,
                        registryServer.url(),
                        naming,
                        in,
                        admin,
                        dir.resolve("flink"),
                        events);
                figures.add(Figure.of(
                                name(),
                                job.name() + " (Flink, checkpointed, transactional sink)",
                                rate,
                                "rec/s",
                                "higher")
                        .against("raw producer", inputRate(producerRates, job.name(), in)));
            }
        }
        return new Result(
                figures, List.of(), List.of(String.format(Locale.ROOT, "%,d events per input topic.", events)));
    }

    private static double inputRate(Map<String, Double> producerRates, String operator, List<String> inputs) {
        return inputs.stream()
                .mapToDouble(topic -> {
                    Double rate = producerRates.get(topic);
                    if (rate == null) {
                        throw new IllegalStateException(
                                operator + " reads " + topic + ": give it a sample in SampleEvents");
                    }
                    return rate;
                })
                .min()
                .orElseThrow(() -> new IllegalStateException(operator + " has no input topic"));
    }

    /** Produces the events of an input topic to {@code destination} (the topic itself, or a scratch copy). */
    private static double produce(
            KafkaClients kafka, TopicBinder binder, Topic<?, ?> topic, String destination, int events) {
        SampleEvents.Maker sample = SampleEvents.of(topic)
                .orElseThrow(() -> new IllegalStateException(
                        "an operator reads " + topic.name() + ", which has no sample in SampleEvents"));
        BoundTopic<?, ?> bound = binder.bind(topic);
        @SuppressWarnings("unchecked")
        Serializer<SpecificRecord> values =
                (Serializer<SpecificRecord>) bound.value().serializer();
        Instant start = Instant.now();
        try (KafkaProducer<String, SpecificRecord> producer = kafka.producer(
                "bench-producer",
                Map.of("acks", "all", "enable.idempotence", true, "linger.ms", 5),
                new StringSerializer(),
                values)) {
            AtomicReference<Exception> failure = new AtomicReference<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < events && failure.get() == null; i++) {
                Instant at = start.plusMillis(i / 50);
                SampleEvents.Sample event = sample.make(i, at);
                producer.send(
                        new ProducerRecord<>(destination, null, at.toEpochMilli(), event.key(), event.value()),
                        (written, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("producing to " + destination + " failed", failure.get());
            }
            return events / seconds(t0);
        }
    }

    private static double consume(KafkaClients kafka, String topic, int events) {
        AtomicLong read = new AtomicLong();
        long t0 = System.nanoTime();
        TopicView.readAll(
                kafka, topic, new StringDeserializer(), new ByteArrayDeserializer(), record -> read.incrementAndGet());
        if (read.get() != events) {
            throw new IllegalStateException("read " + read.get() + " of " + events + " from " + topic);
        }
        return events / seconds(t0);
    }

    /**
     * The policy an operator is measured under: for request-rate, the demo's rate-limit policy (a
     * bucket per client address, and per API key), so that every request is matched and repartitioned;
     * for cache-invalidation, rules under which every sample row change invalidates.
     */
    private static Map<String, String> policies(String operator, Path dir) throws java.io.IOException {
        if (operator.equals(CacheWorkflow.OPERATOR)) {
            Path rules = Files.createDirectories(dir).resolve("cache-rules.yaml");
            Files.writeString(rules, SampleEvents.PRODUCT_RULES);
            return Map.of(
                    CacheWorkflow.RULES_FILE.name(), rules.toAbsolutePath().toString());
        }
        if (operator.equals(BatchingWorkflow.OPERATOR)) {
            return Map.of(BatchingWorkflow.TABLES.name(), "page_hits");
        }
        if (!operator.equals(RateLimitWorkflow.OPERATOR)) {
            return Map.of();
        }
        Path policy = Files.createDirectories(dir).resolve("ratelimit.yaml");
        try (var demo = PipelinePart.class.getResourceAsStream("/demo/ratelimit.yaml")) {
            Files.write(policy, demo.readAllBytes());
        }
        return Map.of(
                RateLimitWorkflow.POLICY_FILE.name(), policy.toAbsolutePath().toString());
    }

    /** An operator's rate over its whole run, and once it is running (its group joined, its producer ready). */
    private record Rates(double fromStart, double fromRunning) {}

    private static Rates streams(
            StreamsOperator operator,
            KafkaClients kafka,
            TopicBinder binder,
            SchemaRegistryClient registry,
            TopicNaming naming,
            List<String> inputs,
            Admin admin,
            Path stateDir,
            int events)
            throws Exception {
        String prefix = "streamops-bench-" + System.nanoTime() + "-";
        StreamsRunner.Config config = new StreamsRunner.Config(
                prefix, kafka, stateDir, "exactly_once_v2", (short) 1, Duration.ofMillis(100), Map.of());
        Settings settings = Settings.of(policies(operator.name(), stateDir));
        try (StreamsRunner runner = new StreamsRunner(operator, config, binder, settings, registry)) {
            long t0 = System.nanoTime();
            runner.start();
            runner.awaitRunning(Duration.ofMinutes(2));
            long running = System.nanoTime();
            Replay.awaitStreamsCaughtUp(
                    admin,
                    prefix + operator.name(),
                    inputs.stream().map(naming::resolve).toList(),
                    Duration.ofMinutes(10));
            return new Rates(events * inputs.size() / seconds(t0), events * inputs.size() / seconds(running));
        }
    }

    private static double flink(
            Path home,
            String job,
            KafkaClients kafka,
            String registryUrl,
            TopicNaming naming,
            List<String> inputs,
            Admin admin,
            Path dataDir,
            int events)
            throws Exception {
        String groups = "bench-flink-" + System.nanoTime() + "-";
        Map<String, String> settings = new LinkedHashMap<>(kafka.asSettings());
        settings.put("streamops.registry.url", registryUrl);
        settings.put("streamops.topic.prefix", naming.prefix());
        settings.put("streamops.flink.group.prefix", groups);
        settings.put("streamops.flink.checkpoint.interval", "1s");
        settings.put("streamops.flink.port", Integer.toString(EmbeddedKafkaBroker.freePort()));
        settings.put("streamops.flink.data.dir", dataDir.toAbsolutePath().toString());
        try (FlinkProcess flink = FlinkProcess.start(home, dataDir, settings, Duration.ofMinutes(3))) {
            long t0 = System.nanoTime();
            Replay.awaitCaughtUp(
                    admin, groups + job, inputs.stream().map(naming::resolve).toList(), Duration.ofMinutes(10));
            return events * inputs.size() / seconds(t0);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
