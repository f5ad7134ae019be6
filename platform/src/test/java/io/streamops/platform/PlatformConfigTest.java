package io.streamops.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamops.platform.PlatformConfig.Component;
import io.streamops.schemas.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformConfigTest {

    @Test
    void runsEverythingEmbeddedByDefault() {
        PlatformConfig config = PlatformConfig.from(Settings.of(Map.of()), null, false);

        assertThat(config.components()).containsExactlyInAnyOrder(Component.values());
        assertThat(config.kafkaPort()).isEqualTo(9092);
        assertThat(config.registryPort()).isEqualTo(8081);
        assertThat(config.flinkPort()).isEqualTo(8082);
    }

    @Test
    void anExternalKafkaOrRegistryReplacesTheEmbeddedOne() {
        PlatformConfig config = PlatformConfig.from(
                Settings.of(Map.of(
                        "streamops.kafka.bootstrap", "kafka-1:9092",
                        "streamops.registry.url", "http://registry:8081")),
                null,
                false);

        assertThat(config.runs(Component.BROKER)).isFalse();
        assertThat(config.runs(Component.REGISTRY)).isFalse();
        assertThat(config.externalKafka()).contains("kafka-1:9092");
    }

    @Test
    void onlyPicksComponentsAndNamesUnknownOnes() {
        PlatformConfig config = PlatformConfig.from(
                Settings.of(Map.of("streamops.kafka.bootstrap", "k:9092", "streamops.registry.url", "http://r:8081")),
                "topologies,gateway",
                false);

        assertThat(config.components()).containsExactlyInAnyOrder(Component.TOPOLOGIES, Component.GATEWAY);
        assertThatThrownBy(() -> PlatformConfig.from(Settings.of(Map.of()), "broker,kafka", false))
                .hasMessageContaining("unknown component 'kafka'");
        assertThatThrownBy(() -> PlatformConfig.from(Settings.of(Map.of()), "gateway", false))
                .hasMessageContaining("streamops.kafka.bootstrap");
        assertThatThrownBy(() ->
                        PlatformConfig.from(Settings.of(Map.of("streamops.kafka.bootstrp", "k:9092")), null, false))
                .hasMessageContaining("streamops.kafka.bootstrp");
    }

    @Test
    void aFlinkJobsKeysAreCheckedHereBeforeAnythingStarts() {
        assertThatThrownBy(() -> PlatformConfig.from(
                        Settings.of(
                                Map.of("streamops.loganomaly.window", "soon", "streamops.loganomaly.treshold", "3")),
                        null,
                        false))
                .hasMessageContaining("streamops.loganomaly.window must be a duration")
                .hasMessageContaining("unknown configuration key streamops.loganomaly.treshold");
    }
}
