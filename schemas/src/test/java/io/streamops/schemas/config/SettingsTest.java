package io.streamops.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("streamops.properties");
        Files.writeString(file, "streamops.a=file\nstreamops.b=file\nstreamops.c=file\n");

        Settings settings = Settings.load(
                file, Map.of("STREAMOPS_B", "env", "STREAMOPS_C", "env", "PATH", "/bin"), List.of("streamops.c=flag"));

        assertThat(settings.string("streamops.a", null)).isEqualTo("file");
        assertThat(settings.string("streamops.b", null)).isEqualTo("env");
        assertThat(settings.string("streamops.c", null)).isEqualTo("flag");
        assertThat(settings.asMap()).doesNotContainKey("path");
    }

    @Test
    void parsesDurationsInBothSpellings() {
        Settings settings = Settings.of(Map.of("a", "250ms", "b", "10s", "c", "PT5M", "d", "7d"));

        assertThat(settings.duration("a", null)).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.duration("b", null)).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.duration("c", null)).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.duration("d", null)).isEqualTo(Duration.ofDays(7));
        assertThat(settings.duration("missing", Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void badValuesNameTheKey() {
        Settings settings = Settings.of(Map.of("streamops.port", "eighty", "streamops.window", "soon"));

        assertThatThrownBy(() -> settings.integer("streamops.port", 80))
                .hasMessage("configuration key streamops.port must be an integer, was 'eighty'");
        assertThatThrownBy(() -> settings.duration("streamops.window", null))
                .hasMessageContaining("configuration key streamops.window must be a duration");
        assertThatThrownBy(() -> settings.required("streamops.missing"))
                .hasMessage("missing required configuration key streamops.missing");
    }

    @Test
    void unknownKeysFailFast() {
        Settings settings = Settings.of(Map.of("streamops.gateway.port", "8080", "streamops.gateway.prot", "1"));

        assertThatThrownBy(() -> settings.rejectUnknown("streamops.gateway.", List.of("streamops.gateway.port")))
                .hasMessageContaining("streamops.gateway.prot");
    }
}
