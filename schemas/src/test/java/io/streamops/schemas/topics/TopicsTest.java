package io.streamops.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamops.schemas.SchemaCatalog;
import io.streamops.schemas.testing.InMemorySchemaRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyDeclaredTopicIsFoundByName() {
        for (Topic<?, ?> topic : Topics.ALL) {
            assertThat(Topics.byName(topic.name())).contains(topic);
        }
        assertThat(Topics.byName("no-such-topic")).isEmpty();
    }

    @Test
    void everySubjectRegistersInAFreshRegistry() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        SchemaCatalog.subjects().forEach(registry::register);

        assertThat(registry.subjects()).hasSize(Topics.ALL.size());
    }

    @Test
    void decisionTopicsCarryAnEnvelope() {
        Topics.ALL.stream().filter(t -> t.name().startsWith("decisions.")).forEach(t -> {
            Codec.Avro<?> value = (Codec.Avro<?>) t.value();
            assertThat(value.schema().getField("envelope"))
                    .as(t.name() + " has the decision envelope")
                    .isNotNull();
            assertThat(value.schema().getField("envelope").schema().getFullName())
                    .isEqualTo("io.streamops.common.DecisionEnvelope");
        });
    }

    @Test
    void configsSpellCleanupAndRetention() {
        assertThat(Topics.REQUESTS.configs())
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", Long.toString(Duration.ofDays(7).toMillis()));
        assertThat(Topics.SIGNING_KEYS.configs())
                .containsEntry("cleanup.policy", "compact")
                .containsEntry("retention.ms", "-1");
    }

    @Test
    void rejectsInvalidDeclarations() {
        assertThatThrownBy(() -> Topics.REQUESTS.withName("bad name")).hasMessageContaining("invalid topic name");
        assertThatThrownBy(() -> new Topic<>("t", Codec.utf8(), Codec.utf8(), 0, CleanupPolicy.DELETE, null, "d"))
                .hasMessageContaining("partitions must be >= 1");
    }
}
