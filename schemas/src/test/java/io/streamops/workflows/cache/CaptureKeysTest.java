package io.streamops.workflows.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.Settings;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CaptureKeysTest {

    static Stream<Arguments> slots() {
        return Stream.of(
                Arguments.of("no topic prefix", "", "streamops"),
                Arguments.of("a dotted prefix", "prod.", "streamops_prod"),
                Arguments.of("capitals and dashes", "Team-A.Staging.", "streamops_team_a_staging"),
                Arguments.of(
                        "a long prefix, cut to PostgreSQL's 63 characters",
                        "x".repeat(80),
                        "streamops_" + "x".repeat(53)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("slots")
    void theSlotFollowsTheTopicPrefix(String description, String prefix, String slot) {
        assertThat(CaptureKeys.defaultSlot(prefix)).isEqualTo(slot);
    }

    @Test
    void tablesAreSchemaQualified() {
        Settings good = Settings.of(Map.of(CaptureKeys.TABLES.name(), "public.users, shop.order_items"));
        assertThat(good.validate(List.of(CaptureKeys.group())).get(CaptureKeys.TABLES))
                .containsExactly("public.users", "shop.order_items");

        assertThatThrownBy(() ->
                        Settings.of(Map.of(CaptureKeys.TABLES.name(), "users")).validate(List.of(CaptureKeys.group())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(CaptureKeys.TABLES.name())
                .hasMessageContaining("schema.table");
        assertThatThrownBy(() -> Settings.of(Map.of(CaptureKeys.SLOT.name(), "Prod-Slot"))
                        .validate(List.of(CaptureKeys.group())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(CaptureKeys.SLOT.name());
        assertThatThrownBy(() -> Settings.of(Map.of("streamops.cache.capture.table", "public.users"))
                        .validate(List.of(CaptureKeys.group())))
                .as("a typo fails, naming the key")
                .hasMessageContaining("unknown configuration key streamops.cache.capture.table");
    }
}
