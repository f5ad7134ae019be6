package io.streamops.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A client for the Confluent Schema Registry REST API, usable against any compatible registry
 * (Confluent's, Apicurio's ccompat API, or streamops' own). It relies on HTTP status codes and the
 * documented response fields only, not on registry-specific error bodies.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUri;
    private final HttpClient http;
    private final Optional<String> authorization;
    private final Duration timeout;

    /**
     * @param baseUrl registry URL, e.g. http://127.0.0.1:8081
     * @param basicAuthUserInfo "user:password" for HTTP basic auth, or null
     */
    public RestSchemaRegistryClient(String baseUrl, String basicAuthUserInfo) {
        String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.baseUri = URI.create(trimmed);
        this.timeout = Duration.ofSeconds(10);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.authorization = Optional.ofNullable(basicAuthUserInfo)
                .map(u -> "Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)));
    }

    public RestSchemaRegistryClient(String baseUrl) {
        this(baseUrl, null);
    }

    @Override
    public int register(String subject, Schema schema) {
        return send("POST", "/subjects/" + enc(subject) + "/versions", schemaBody(schema))
                .get("id")
                .asInt();
    }

    @Override
    public Schema getById(int id) {
        return RegistryState.parse(
                send("GET", "/schemas/ids/" + id, null).get("schema").asText());
    }

    @Override
    public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        try {
            return Optional.of(registered(send("POST", "/subjects/" + enc(subject), schemaBody(schema))));
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        return registered(send("GET", "/subjects/" + enc(subject) + "/versions/" + version, null));
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        return registered(send("GET", "/subjects/" + enc(subject) + "/versions/latest", null));
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        send("GET", "/subjects/" + enc(subject) + "/versions", null).forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(s -> subjects.add(s.asText()));
        subjects.sort(null);
        return subjects;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode answer =
                    send("POST", "/compatibility/subjects/" + enc(subject) + "/versions/latest", schemaBody(schema));
            return answer.path("is_compatible").asBoolean(false);
        } catch (SchemaRegistryException e) {
            // A subject without versions accepts any first schema.
            if (e.isNotFound()) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public CompatibilityLevel compatibility(String subject) {
        if (subject != null) {
            try {
                return level(send("GET", "/config/" + enc(subject), null));
            } catch (SchemaRegistryException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        return level(send("GET", "/config", null));
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
        send("PUT", subject == null ? "/config" : "/config/" + enc(subject), body);
    }

    private static CompatibilityLevel level(JsonNode config) {
        JsonNode level =
                config.has("compatibilityLevel") ? config.get("compatibilityLevel") : config.get("compatibility");
        return CompatibilityLevel.parse(level == null ? null : level.asText());
    }

    private static RegisteredSchema registered(JsonNode node) {
        return new RegisteredSchema(
                node.get("subject").asText(),
                node.get("version").asInt(),
                node.get("id").asInt(),
                RegistryState.parse(node.get("schema").asText()));
    }

    private static ObjectNode schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUri + path))
                .timeout(timeout)
                .header("Accept", CONTENT_TYPE + ", application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        authorization.ifPresent(a -> request.header("Authorization", a));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException(
                    503, SchemaRegistryException.STORE_ERROR, "registry " + baseUri + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(
                    503, SchemaRegistryException.STORE_ERROR, "interrupted calling " + baseUri, e);
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            String message = answer.path("message").asText(response.body());
            int code = answer.path("error_code").asInt(response.statusCode());
            throw new SchemaRegistryException(
                    response.statusCode(), code, method + " " + path + " -> " + response.statusCode() + ": " + message);
        }
        return answer;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", body);
        }
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient[" + baseUri + "]";
    }
}
