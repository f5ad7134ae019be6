package io.streamops.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.schemas.registry.AvroCompatibility;
import io.streamops.schemas.registry.CompatibilityLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The build's guard: the current schemas must stay BACKWARD compatible with those of the last
 * release (snapshots in schemas/released/), as the registry would demand at deploy time.
 */
class ReleasedSchemasCompatibilityTest {

    private static final Path RELEASED = Path.of("released");

    @Test
    void currentSchemasReadEverythingTheLastReleaseWrote() throws IOException {
        Path lastRelease = lastRelease();
        Map<String, Schema> current = SchemaCatalog.subjects();
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(lastRelease)) {
            for (Path file : files.sorted().toList()) {
                String subject = file.getFileName().toString().replaceFirst("\\.avsc$", "");
                Schema released = new Schema.Parser().parse(file.toFile());
                Schema now = current.get(subject);
                if (now == null) {
                    problems.add(subject + ": released in " + lastRelease.getFileName() + " but no longer declared");
                    continue;
                }
                AvroCompatibility.problems(CompatibilityLevel.BACKWARD, now, List.of(released))
                        .forEach(p -> problems.add(subject + ": " + p));
            }
        }
        assertThat(problems)
                .as("schema changes that break BACKWARD compatibility with " + lastRelease)
                .isEmpty();
    }

    @Test
    void theCheckCatchesABreakingChange() {
        Schema released = SchemaCatalog.subjects().get("requests-value");
        String breaking = released.toString()
                .replace("{\"name\":\"eventId\"", "{\"name\":\"tenant\",\"type\":\"string\"},{\"name\":\"eventId\"");
        Schema withRequiredField = new Schema.Parser().parse(breaking);

        assertThat(AvroCompatibility.problems(CompatibilityLevel.BACKWARD, withRequiredField, List.of(released)))
                .singleElement()
                .asString()
                .contains("READER_FIELD_MISSING_DEFAULT")
                .contains("tenant");
    }

    private static Path lastRelease() throws IOException {
        try (Stream<Path> releases = Files.list(RELEASED)) {
            return releases.filter(Files::isDirectory)
                    .max(Comparator.comparing(p -> version(p.getFileName().toString())))
                    .orElseThrow(() -> new AssertionError("no release snapshot under " + RELEASED.toAbsolutePath()));
        }
    }

    private static String version(String name) {
        // Zero-pad each part so that 0.10.0 sorts after 0.9.0.
        StringBuilder key = new StringBuilder();
        for (String part : name.split("\\.")) {
            key.append(String.format("%08d", Integer.parseInt(part)));
        }
        return key.toString();
    }
}
