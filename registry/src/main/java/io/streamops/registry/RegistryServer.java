package io.streamops.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.config.ConfigKey;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.registry.AvroCompatibility;
import io.streamops.schemas.registry.CompatibilityLevel;
import io.streamops.schemas.registry.RegisteredSchema;
import io.streamops.schemas.registry.RegistryChange;
import io.streamops.schemas.registry.RegistryClients;
import io.streamops.schemas.registry.RegistryState;
import io.streamops.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry that speaks the subset of Confluent's REST API the pipeline uses, stores its
 * state in a compacted Kafka topic and enforces compatibility with Avro's own checker (BACKWARD by
 * default). It is the embedded default; in production any Confluent-compatible registry replaces
 * it by configuration. One instance writes at a time: it does not elect a leader among replicas.
 */
public final class RegistryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    /** @param port 0 picks a free one */
    public record Config(KafkaClients kafka, String host, int port, String topic, CompatibilityLevel defaultLevel) {

        public static final ConfigKey<Integer> PORT = ConfigKey.integer(
                "streamops.registry.port", 8081, "port of the embedded registry (and of the registry on its own)");
        public static final ConfigKey<String> HOST = ConfigKey.string(
                "streamops.registry.host", "127.0.0.1", "address the registry listens on when run on its own");
        public static final ConfigKey<String> TOPIC = ConfigKey.string(
                "streamops.registry.topic", "_schemas", "the compacted topic the registry keeps its state in");
        public static final ConfigKey<CompatibilityLevel> COMPATIBILITY = ConfigKey.enumValue(
                "streamops.registry.compatibility",
                CompatibilityLevel.class,
                CompatibilityLevel.BACKWARD,
                "the default compatibility level of subjects");
        /** Every key: with the URL of an external registry, the platform runs none. */
        public static final ConfigGroup KEYS = ConfigGroup.of(
                "Schema registry", "streamops.registry.", RegistryClients.URL, PORT, HOST, TOPIC, COMPATIBILITY);

        public static Config defaults(KafkaClients kafka, int port) {
            return new Config(kafka, "127.0.0.1", port, "_schemas", CompatibilityLevel.BACKWARD);
        }

        public static Config from(Settings settings) {
            settings.validate(List.of(KEYS));
            return new Config(
                    KafkaClients.from(settings),
                    settings.get(HOST),
                    settings.get(PORT),
                    settings.get(TOPIC),
                    settings.get(COMPATIBILITY));
        }
    }

    private final RegistryState state;
    private final KafkaSchemaLog log;
    private final HttpServer http;
    private final ExecutorService executor;
    private final Object writeLock = new Object();

    private RegistryServer(Config config) throws IOException {
        this.state = new RegistryState(config.defaultLevel());
        this.log = new KafkaSchemaLog(config.kafka(), config.topic(), change -> {
            synchronized (state) {
                state.apply(change);
            }
        });
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "registry-http");
            t.setDaemon(true);
            return t;
        });
        this.http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
        this.http.setExecutor(executor);
        this.http.createContext("/", this::handle);
        this.http.start();
    }

    /** Replays the log, then serves. */
    public static RegistryServer start(Config config) {
        try {
            RegistryServer server = new RegistryServer(config);
            LOG.info("Schema registry ready on {} (log: {} on {})", server.url(), config.topic(), config.kafka());
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the schema registry on port " + config.port() + ": " + e, e);
        }
    }

    public String url() {
        return "http://" + http.getAddress().getHostString() + ":"
                + http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        log.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status = 200;
            JsonNode answer;
            try {
                answer = route(
                        exchange.getRequestMethod(),
                        segments(exchange.getRequestURI().getRawPath()),
                        exchange);
            } catch (SchemaRegistryException e) {
                status = e.status();
                answer = error(e.errorCode(), e.getMessage());
            } catch (BadRequest e) {
                status = e.status;
                answer = error(e.status, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Registry request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                status = 500;
                answer = error(SchemaRegistryException.STORE_ERROR, "internal error: " + e);
            }
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private JsonNode route(String method, List<String> path, HttpExchange exchange) throws IOException {
        int n = path.size();
        String first = n > 0 ? path.get(0) : "";
        if (n == 0 && method.equals("GET")) {
            return JSON.createObjectNode();
        }
        if (first.equals("subjects")) {
            if (n == 1 && method.equals("GET")) {
                ArrayNode subjects = JSON.createArrayNode();
                read(RegistryState::subjects).forEach(subjects::add);
                return subjects;
            }
            String subject = n > 1 ? path.get(1) : null;
            if (n == 2 && method.equals("POST")) {
                Schema schema = schemaFrom(body(exchange));
                RegisteredSchema found = read(s -> {
                    if (!s.hasSubject(subject)) {
                        throw notFound(
                                SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
                    }
                    return s.lookup(subject, schema)
                            .orElseThrow(() -> notFound(SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found"));
                });
                return registered(found);
            }
            if (n == 3 && path.get(2).equals("versions")) {
                if (method.equals("GET")) {
                    ArrayNode versions = JSON.createArrayNode();
                    read(s -> s.versions(subject)).forEach(versions::add);
                    return versions;
                }
                if (method.equals("POST")) {
                    Schema schema = schemaFrom(body(exchange));
                    return JSON.createObjectNode().put("id", register(subject, schema));
                }
            }
            if ((n == 4 || n == 5) && path.get(2).equals("versions") && method.equals("GET")) {
                RegisteredSchema version = version(subject, path.get(3));
                if (n == 5 && path.get(4).equals("schema")) {
                    return JSON.readTree(version.schema().toString());
                }
                if (n == 4) {
                    return registered(version);
                }
            }
        }
        if (first.equals("schemas")) {
            if (n == 3 && path.get(1).equals("ids") && method.equals("GET")) {
                int id = parseInt(path.get(2), "schema id");
                return JSON.createObjectNode()
                        .put("schema", read(s -> s.byId(id)).toString());
            }
            if (n == 2 && path.get(1).equals("types") && method.equals("GET")) {
                return JSON.createArrayNode().add("AVRO");
            }
        }
        if (first.equals("compatibility")
                && n == 5
                && path.get(1).equals("subjects")
                && path.get(3).equals("versions")
                && method.equals("POST")) {
            String subject = path.get(2);
            Schema schema = schemaFrom(body(exchange));
            List<String> problems = read(s -> {
                RegisteredSchema against = version(s, subject, path.get(4));
                return path.get(4).equals("latest")
                        ? s.compatibilityProblems(subject, schema)
                        : AvroCompatibility.problems(s.level(subject), schema, List.of(against.schema()));
            });
            ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
            ArrayNode messages = answer.putArray("messages");
            problems.forEach(messages::add);
            return answer;
        }
        if (first.equals("config") && (n == 1 || n == 2)) {
            String subject = n == 2 ? path.get(1) : null;
            if (method.equals("GET")) {
                CompatibilityLevel level = read(s -> subject == null
                        ? s.level(null)
                        : s.subjectLevel(subject)
                                .orElseThrow(() -> notFound(
                                        SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
                                        "Subject '" + subject
                                                + "' does not have subject-level compatibility configured")));
                return JSON.createObjectNode().put("compatibilityLevel", level.name());
            }
            if (method.equals("PUT")) {
                JsonNode body = body(exchange);
                CompatibilityLevel level =
                        CompatibilityLevel.parse(body.path("compatibility").asText(null));
                synchronized (writeLock) {
                    log.append(new RegistryChange.CompatibilitySet(subject, level));
                }
                return JSON.createObjectNode().put("compatibility", level.name());
            }
        }
        throw new BadRequest(404, "no such endpoint: " + method + " /" + String.join("/", path));
    }

    private int register(String subject, Schema schema) {
        synchronized (writeLock) {
            Optional<RegistryChange.SchemaAdded> change = read(s -> s.planRegistration(subject, schema));
            if (change.isPresent()) {
                log.append(change.get());
                LOG.info(
                        "Registered {} version {} as schema id {}",
                        subject,
                        change.get().version(),
                        change.get().id());
                return change.get().id();
            }
            return read(s -> s.lookup(subject, schema)).orElseThrow().id();
        }
    }

    private RegisteredSchema version(String subject, String version) {
        return read(s -> version(s, subject, version));
    }

    private static RegisteredSchema version(RegistryState s, String subject, String version) {
        if (version.equals("latest") || version.equals("-1")) {
            return s.latest(subject);
        }
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            number = 0;
        }
        if (number < 1) {
            throw new SchemaRegistryException(
                    422,
                    SchemaRegistryException.INVALID_VERSION,
                    "The specified version '" + version
                            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }
        return s.version(subject, number);
    }

    private <T> T read(Function<RegistryState, T> query) {
        synchronized (state) {
            return query.apply(state);
        }
    }

    private static Schema schemaFrom(JsonNode body) {
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new SchemaRegistryException(
                    422,
                    SchemaRegistryException.INVALID_SCHEMA,
                    "Unsupported schema type " + type + ": this registry serves AVRO only");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new SchemaRegistryException(
                    422, SchemaRegistryException.INVALID_SCHEMA, "Request body needs a \"schema\" string");
        }
        return RegistryState.parse(schema.asText());
    }

    private static JsonNode body(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new BadRequest(413, "request body over " + MAX_BODY_BYTES + " bytes");
            }
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new BadRequest(400, "request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new BadRequest(400, "request body is not valid JSON: " + e.getMessage());
        }
    }

    private static ObjectNode registered(RegisteredSchema r) {
        return JSON.createObjectNode()
                .put("subject", r.subject())
                .put("version", r.version())
                .put("id", r.id())
                .put("schema", r.schema().toString());
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static SchemaRegistryException notFound(int code, String message) {
        return new SchemaRegistryException(404, code, message);
    }

    private static int parseInt(String text, String what) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadRequest(400, what + " must be an integer, was '" + text + "'");
        }
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                segments.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static final class BadRequest extends RuntimeException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
