package io.streamops.platform.cache;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import io.streamops.common.DeadLetter;
import io.streamops.events.DbChange;
import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.decision.DeadLetters;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.MalformedRecordException;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.topics.Topics;
import io.streamops.schemas.wait.Deadline;
import io.streamops.schemas.wait.Poll;
import io.streamops.workflows.cache.CaptureKeys;
import io.streamops.workflows.cache.DebeziumEnvelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workflow 2's database change stream: Debezium's embedded engine runs the PostgreSQL connector
 * (pgoutput, a publication of exactly the configured tables, a slot of this deployment's own), and
 * every change it reads is mapped by {@link DebeziumEnvelope} and written to {@code db-changes},
 * keyed by {@code schema.table:pk}; one that cannot be mapped goes to {@code dlq.db-capture} with
 * the reason and its bytes.
 *
 * <p>Nothing is lost on a crash: a change is marked processed, and so may be committed to the offset
 * file and confirmed to the slot, only once Kafka has acknowledged it (acks=all, idempotent). A
 * crash after the acknowledgement and before the next offset commit (every second) delivers those
 * changes again, with the same event ids.
 */
public final class ChangeCapture implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeCapture.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    /** Where to read from and where the offsets live: {@link #from} reads it from {@link CaptureKeys}. */
    public record Config(
            String host,
            int port,
            String database,
            String user,
            Optional<Path> passwordFile,
            List<String> tables,
            String slot,
            boolean snapshot,
            Duration pollInterval,
            Path offsetFile) {

        public Config {
            tables = List.copyOf(tables);
        }

        /** The capture's settings; the offsets go to {@code <data dir>/cache-capture/<slot>.offsets}. */
        public static Config from(Settings settings, Path dataDir) {
            List<String> tables = settings.get(CaptureKeys.TABLES);
            if (tables.isEmpty()) {
                throw new ConfigException("configuration key " + CaptureKeys.TABLES.name() + " is required when "
                        + CaptureKeys.ENABLED.name() + " is true");
            }
            String slot = settings.find(CaptureKeys.SLOT)
                    .orElseGet(() -> CaptureKeys.defaultSlot(settings.get(TopicNaming.PREFIX)));
            return new Config(
                    settings.get(CaptureKeys.HOST),
                    settings.get(CaptureKeys.PORT),
                    settings.get(CaptureKeys.DATABASE),
                    settings.get(CaptureKeys.USER),
                    settings.find(CaptureKeys.PASSWORD_FILE).map(Path::of),
                    tables,
                    slot,
                    settings.get(CaptureKeys.SNAPSHOT),
                    settings.get(CaptureKeys.POLL_INTERVAL),
                    dataDir.resolve("cache-capture").resolve(slot + ".offsets"));
        }

        /** The engine's and the connector's properties. */
        Properties engine() {
            Properties p = new Properties();
            // The engine name and topic prefix key the stored offsets: both follow the slot.
            p.setProperty("name", "streamops-" + CaptureKeys.OPERATOR + "-" + slot);
            p.setProperty("topic.prefix", slot);
            p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
            p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
            p.setProperty(
                    "offset.storage.file.filename", offsetFile.toAbsolutePath().toString());
            p.setProperty("offset.flush.interval.ms", "1000");
            p.setProperty("record.processing.threads", "1");
            p.setProperty("database.hostname", host);
            p.setProperty("database.port", Integer.toString(port));
            p.setProperty("database.user", user);
            p.setProperty("database.dbname", database);
            passwordFile.ifPresent(file -> p.setProperty("database.password", password(file)));
            p.setProperty("plugin.name", "pgoutput");
            p.setProperty("slot.name", slot);
            p.setProperty("publication.name", slot);
            p.setProperty("publication.autocreate.mode", "filtered");
            // The include list holds regular expressions: match each name literally.
            p.setProperty(
                    "table.include.list",
                    String.join(",", tables.stream().map(Pattern::quote).toList()));
            p.setProperty("snapshot.mode", snapshot ? "initial" : "no_data");
            p.setProperty("decimal.handling.mode", "string");
            p.setProperty("poll.interval.ms", Long.toString(pollInterval.toMillis()));
            p.setProperty("tombstones.on.delete", "false");
            p.setProperty("converter.schemas.enable", "false");
            return p;
        }

        private static String password(Path file) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                return lines.isEmpty() ? "" : lines.get(0).strip();
            } catch (IOException e) {
                throw new ConfigException("configuration key " + CaptureKeys.PASSWORD_FILE.name() + ": cannot read "
                        + file + ": " + e.getMessage());
            }
        }
    }

    /**
     * Drops the capture's replication slot and its publication, once no walsender holds the slot: a
     * slot left behind keeps the server's WAL forever. For a capture that is retired (and stopped),
     * and for tests and benchmarks that made one of their own.
     */
    public static void retire(Config config, Duration timeout) throws SQLException {
        String url = "jdbc:postgresql://" + config.host() + ":" + config.port() + "/" + config.database();
        String password = config.passwordFile().map(Config::password).orElse("");
        try (Connection db = DriverManager.getConnection(url, config.user(), password)) {
            Poll.until("slot " + config.slot() + " released and dropped", timeout, () -> {
                try (PreparedStatement drop = db.prepareStatement("SELECT pg_drop_replication_slot(slot_name) "
                                + "FROM pg_replication_slots WHERE slot_name = ? AND NOT active");
                        PreparedStatement left =
                                db.prepareStatement("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?")) {
                    drop.setString(1, config.slot());
                    drop.execute();
                    left.setString(1, config.slot());
                    try (ResultSet count = left.executeQuery()) {
                        count.next();
                        return count.getInt(1) == 0;
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot drop slot " + config.slot() + ": " + e.getMessage(), e);
                }
            });
            try (Statement s = db.createStatement()) {
                // The slot's name is checked by CaptureKeys.SLOT: a-z, 0-9 and _ only.
                s.execute("DROP PUBLICATION IF EXISTS " + config.slot());
            }
        }
    }

    /**
     * What the capture has done since it started.
     *
     * @param captured changes written to db-changes
     * @param deadLettered events written to the dead-letter topic
     * @param lastLsn the LSN of the last change written, if any
     * @param streaming whether the engine is polling the connector
     * @param failure why the engine stopped, if it stopped on an error
     */
    public record Counters(
            long captured, long deadLettered, Optional<Long> lastLsn, boolean streaming, Optional<String> failure) {}

    private final Config config;
    private final Clock clock;
    private final String changesTopic;
    private final String deadLetterTopic;
    private final Serializer<DbChange> changes;
    private final Serializer<DeadLetter> deadLetters;
    private final KafkaProducer<String, byte[]> producer;
    private final DebeziumEngine<ChangeEvent<String, String>> engine;
    private final ExecutorService runner;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong captured = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile Long lastLsn;
    private volatile boolean streaming;
    private volatile String failure;

    private ChangeCapture(Config config, KafkaClients kafka, TopicBinder topics, Clock clock) {
        this.config = config;
        this.clock = clock;
        BoundTopic<String, DbChange> out = topics.bind(Topics.DB_CHANGES);
        BoundTopic<String, DeadLetter> dlq = topics.bind(CaptureKeys.DEAD_LETTERS);
        this.changesTopic = out.name();
        this.deadLetterTopic = dlq.name();
        this.changes = out.value().serializer();
        this.deadLetters = dlq.value().serializer();
        // One producer for both topics, so that a change and a dead letter after it keep their order.
        this.producer = kafka.producer(
                "streamops-" + CaptureKeys.OPERATOR + "-" + config.slot(),
                Map.of("acks", "all", "enable.idempotence", true),
                new StringSerializer(),
                new ByteArraySerializer());
        DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> consumer = new DebeziumEngine.ChangeConsumer<>() {
            @Override
            public void handleBatch(
                    List<ChangeEvent<String, String>> events,
                    DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
                    throws InterruptedException {
                ChangeCapture.this.handleBatch(events, committer);
            }

            @Override
            public boolean supportsTombstoneEvents() {
                return false;
            }
        };
        DebeziumEngine.ConnectorCallback callback = new DebeziumEngine.ConnectorCallback() {
            @Override
            public void pollingStarted() {
                streaming = true;
            }

            @Override
            public void pollingStopped() {
                streaming = false;
            }
        };
        DebeziumEngine.CompletionCallback completion = (success, message, error) -> {
            streaming = false;
            if (!success) {
                failure = error == null ? message : message + ": " + DeadLetters.reason(error);
                LOG.error("Change capture from slot {} stopped: {}", config.slot(), failure, error);
            }
            stopped.countDown();
        };
        // The properties first: notifying() reads them.
        this.engine = DebeziumEngine.create(Json.class)
                .using(config.engine())
                .notifying(consumer)
                .using(callback)
                .using(completion)
                .build();
        this.runner = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "db-capture-" + config.slot());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts capturing; {@link #counters()} says when it streams. */
    public static ChangeCapture start(Config config, KafkaClients kafka, TopicBinder topics, Clock clock)
            throws IOException {
        Files.createDirectories(config.offsetFile().getParent());
        ChangeCapture capture = new ChangeCapture(config, kafka, topics, clock);
        try {
            // A missing topic fails the start, not the first change.
            capture.producer.partitionsFor(capture.changesTopic);
            capture.producer.partitionsFor(capture.deadLetterTopic);
        } catch (RuntimeException e) {
            capture.runner.shutdownNow();
            capture.producer.close(Duration.ZERO);
            throw e;
        }
        capture.runner.execute(capture.engine);
        LOG.info(
                "Change capture of {} from {}:{}/{} (slot and publication {}) to {}",
                config.tables(),
                config.host(),
                config.port(),
                config.database(),
                config.slot(),
                capture.changesTopic);
        return capture;
    }

    public Config config() {
        return config;
    }

    public Counters counters() {
        return new Counters(
                captured.get(),
                deadLettered.get(),
                Optional.ofNullable(lastLsn),
                streaming,
                Optional.ofNullable(failure));
    }

    /** For the platform's list of what runs. */
    public String describe() {
        return config.tables() + " from " + config.host() + ":" + config.port() + "/" + config.database() + " (slot "
                + config.slot() + ") -> " + changesTopic;
    }

    /**
     * Sends the batch, then marks each event processed in order once its send is acknowledged. A
     * failed send stops the engine: the events from it on stay unmarked and are read again after a
     * restart.
     */
    void handleBatch(
            List<ChangeEvent<String, String>> events,
            DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        List<Future<RecordMetadata>> sends = new ArrayList<>(events.size());
        List<Sent> what = new ArrayList<>(events.size());
        for (ChangeEvent<String, String> event : events) {
            Sent sent = send(event);
            what.add(sent);
            sends.add(sent.ack());
        }
        for (int i = 0; i < events.size(); i++) {
            Future<RecordMetadata> ack = sends.get(i);
            if (ack != null) {
                try {
                    ack.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException(
                            "cannot write to " + what.get(i).topic() + ": " + DeadLetters.reason(e.getCause()),
                            e.getCause());
                }
                Sent sent = what.get(i);
                if (sent.change() != null) {
                    captured.incrementAndGet();
                    if (sent.change().getSource().getLsn() != null) {
                        lastLsn = sent.change().getSource().getLsn();
                    }
                } else {
                    deadLettered.incrementAndGet();
                }
            }
            committer.markProcessed(events.get(i));
        }
        committer.markBatchFinished();
    }

    /** What was sent for one event: the change, or a dead letter (change null), or nothing (a tombstone). */
    private record Sent(String topic, DbChange change, Future<RecordMetadata> ack) {}

    private Sent send(ChangeEvent<String, String> event) {
        DbChange change;
        byte[] value;
        try {
            Optional<DbChange> mapped = DebeziumEnvelope.parse(event.key(), event.value());
            if (mapped.isEmpty()) {
                return new Sent(null, null, null);
            }
            change = mapped.get();
            value = changes.serialize(changesTopic, change);
        } catch (MalformedRecordException | AvroRuntimeException e) {
            // The event is at fault; a registry or broker that fails is not, and stops the engine.
            return deadLetter(event, e);
        }
        return new Sent(
                changesTopic,
                change,
                producer.send(new ProducerRecord<>(changesTopic, DebeziumEnvelope.kafkaKey(change), value)));
    }

    private Sent deadLetter(ChangeEvent<String, String> event, RuntimeException error) {
        Instant now = clock.instant();
        String source = event.destination() == null ? config.slot() : event.destination();
        LOG.warn("Change capture: dead-lettering an event of {}: {}", source, error.getMessage());
        // Read from a replication slot, not a topic: no partition or offset.
        DeadLetter letter = DeadLetters.of(
                CaptureKeys.OPERATOR,
                source,
                -1,
                -1L,
                now,
                bytes(event.key()),
                bytes(event.value()),
                DeadLetters.reason(error),
                error,
                now);
        return new Sent(
                deadLetterTopic,
                null,
                producer.send(
                        new ProducerRecord<>(deadLetterTopic, source, deadLetters.serialize(deadLetterTopic, letter))));
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Stops the engine (it commits the offsets of what was acknowledged), then the producer, within a
     * minute at most.
     */
    @Override
    public void close() {
        Deadline deadline = Deadline.in(CLOSE_TIMEOUT);
        try {
            // The engine refuses to stop while its task starts (that would leak its connection): ask again.
            Poll.until("the capture engine to accept a stop", deadline.remaining(), this::tryStop);
            if (!stopped.await(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS)) {
                LOG.warn("Change capture from slot {} did not stop within {}", config.slot(), CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Deadline.TimedOut e) {
            LOG.warn("Change capture from slot {}: {}", config.slot(), e.getMessage());
        } finally {
            runner.shutdownNow();
            producer.close(Duration.ofSeconds(5));
        }
    }

    private boolean tryStop() {
        try {
            engine.close();
            return true;
        } catch (IllegalStateException e) {
            // "while tasks are starting": try again; "already shut down" or "being shut down": done.
            return !String.valueOf(e.getMessage()).contains("starting");
        } catch (IOException e) {
            LOG.warn("Stopping change capture from slot {}: {}", config.slot(), e.toString());
            return true;
        }
    }
}
