package io.streamops.platform.loganomaly;

import io.vertx.core.json.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Appends each alert as one JSON line to a file: the local default, where no webhook is set. An
 * alert whose decision id the file already holds is not written twice.
 */
final class FileSink implements AlertSink {

    private final Path file;
    private final Set<String> written = new HashSet<>();

    FileSink(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.getParent());
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    written.add(new JsonObject(line).getString("decisionId"));
                }
            }
        }
    }

    @Override
    public synchronized String deliver(String decisionId, JsonObject alert) throws IOException {
        if (written.add(decisionId)) {
            try (BufferedWriter out = Files.newBufferedWriter(
                    file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                out.write(alert.encode());
                out.newLine();
            }
        }
        return "appended to " + file;
    }
}
