package io.streamops.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SettingsTest {

    static final ConfigKey<String> A = ConfigKey.string("streamops.t.a", null, "a");
    static final ConfigKey<Integer> PORT =
            ConfigKey.integer("streamops.t.port", 80, "a port").check(p -> p > 0 && p < 65536, "must be a port number");
    static final ConfigKey<Duration> WINDOW = ConfigKey.duration("streamops.t.window", Duration.ofSeconds(10), "w");
    static final ConfigKey<String> ROUTE = ConfigKey.string("streamops.t.route.<name>.prefix", "/", "a route's prefix");
    static final ConfigKey<String> CLIENT = ConfigKey.passThrough("streamops.t.client.<property>", "client property");
    static final ConfigGroup GROUP = ConfigGroup.of("test", "streamops.t.", A, PORT, WINDOW, ROUTE, CLIENT);

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("streamops.properties");
        Files.writeString(file, "streamops.a=file\nstreamops.b=file\nstreamops.c=file\n");

        Settings settings = Settings.load(
                file, Map.of("STREAMOPS_B", "env", "STREAMOPS_C", "env", "PATH", "/bin"), List.of("streamops.c=flag"));

        assertThat(settings.asMap())
                .containsEntry("streamops.a", "file")
                .containsEntry("streamops.b", "env")
                .containsEntry("streamops.c", "flag")
                .doesNotContainKey("path");
    }

    static Stream<Arguments> durations() {
        return Stream.of(
                Arguments.of("milliseconds", "250ms", Duration.ofMillis(250)),
                Arguments.of("seconds", "10s", Duration.ofSeconds(10)),
                Arguments.of("ISO-8601", "PT5M", Duration.ofMinutes(5)),
                Arguments.of("days", "7d", Duration.ofDays(7)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void parsesDurationsInBothSpellings(String description, String text, Duration expected) {
        assertThat(Settings.of(Map.of(WINDOW.name(), text)).get(WINDOW)).isEqualTo(expected);
        assertThat(Settings.formatDuration(expected))
                .as("and documents them in the short one")
                .isIn(text, "5m");
    }

    @Test
    void aKeyNotSetGivesItsDefault() {
        assertThat(Settings.of(Map.of()).get(WINDOW)).isEqualTo(Duration.ofSeconds(10));
        assertThat(Settings.of(Map.of()).find(A)).isEmpty();
    }

    @Test
    void badValuesNameTheKey() {
        Settings settings = Settings.of(Map.of(PORT.name(), "eighty", WINDOW.name(), "soon"));

        assertThatThrownBy(() -> settings.get(PORT))
                .hasMessage("configuration key streamops.t.port must be an integer, was 'eighty'");
        assertThatThrownBy(() -> settings.get(WINDOW))
                .hasMessageContaining("configuration key streamops.t.window must be a duration");
        assertThatThrownBy(() -> Settings.of(Map.of(PORT.name(), "0")).get(PORT))
                .hasMessage("configuration key streamops.t.port must be a port number, was '0'");
        assertThatThrownBy(() -> settings.require(A)).hasMessage("missing required configuration key streamops.t.a");
    }

    @Test
    void familiesOfKeysAreReadByName() {
        Settings settings = Settings.of(Map.of(
                "streamops.t.route.api.prefix", "/api",
                "streamops.t.route.web.prefix", "/",
                "streamops.t.client.sasl.jaas.config", "x required;"));

        assertThat(settings.names(ROUTE)).containsExactly("api", "web");
        assertThat(settings.get(ROUTE, "api")).isEqualTo("/api");
        assertThat(settings.passedThrough(CLIENT)).isEqualTo(Map.of("sasl.jaas.config", "x required;"));
    }

    @Test
    void validationFailsOnEveryUnknownKeyAndBadValueUnderAGroupsPrefix() {
        Settings settings = Settings.of(Map.of(
                "streamops.t.prot", "1",
                "streamops.t.window", "soon",
                "streamops.t.route.api.prefix", "/api",
                "streamops.other.thing", "not governed by the group"));

        assertThatThrownBy(() -> settings.validate(Set.of(GROUP)))
                .hasMessageContaining("unknown configuration key streamops.t.prot")
                .hasMessageContaining(
                        "known under streamops.t.: [streamops.t.a, streamops.t.client.<property>, streamops.t.port, "
                                + "streamops.t.route.<name>.prefix, streamops.t.window]")
                .hasMessageContaining("streamops.t.window must be a duration")
                .message()
                .doesNotContain("streamops.other.thing")
                .doesNotContain("route.api");
    }

    @Test
    void secretsAreNeverEchoed() {
        ConfigKey<Integer> pin =
                ConfigKey.integer("streamops.t.pin", 0, "a pin").secret();

        assertThatThrownBy(() -> Settings.of(Map.of(pin.name(), "hunter2")).get(pin))
                .hasMessageContaining("(secret)")
                .message()
                .doesNotContain("hunter2");
    }
}
