package io.streamops.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Submits the shaded job jar to a Flink cluster through its REST API: upload once, then run one
 * job per name, the way {@code flink run} would. Used when {@code streamops.flink.rest} is set.
 */
final class FlinkRestSubmitter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI rest;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    FlinkRestSubmitter(String restUrl) {
        this.rest = URI.create(restUrl.endsWith("/") ? restUrl : restUrl + "/");
    }

    /** Uploads the jar and returns the cluster's id for it. */
    String upload(Path jar) throws IOException, InterruptedException {
        String boundary = "streamops-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                        + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(jar));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer = send(HttpRequest.newBuilder(rest.resolve("jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String filename = answer.path("filename").asText();
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    /** Runs one job of an uploaded jar; returns the job id. */
    String run(String jarId, String entryClass, List<String> args) throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("entryClass", entryClass);
        args.forEach(request.putArray("programArgsList")::add);
        JsonNode answer = send(HttpRequest.newBuilder(rest.resolve("jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())));
        return answer.path("jobid").asText();
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("Flink at " + rest + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
