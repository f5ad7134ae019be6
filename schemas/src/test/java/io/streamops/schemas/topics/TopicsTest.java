package io.streamops.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamops.schemas.SchemaCatalog;
import io.streamops.schemas.testing.InMemorySchemaRegistry;
import io.streamops.schemas.workflow.Workflows;
import io.streamops.workflows.keys.KeysWorkflow;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void everyDeclaredTopicIsFoundByName() {
        for (Topic<?, ?> topic : Workflows.topics()) {
            assertThat(Workflows.topic(topic.name())).contains(topic);
        }
        assertThat(Workflows.topic("no-such-topic")).isEmpty();
    }

    @Test
    void theCatalogHoldsTheSharedEventsAndEveryWorkflowsTopics() {
        assertThat(Workflows.topics()).containsAll(Topics.SHARED);
        Workflows.all().forEach(w -> assertThat(Workflows.topics()).containsAll(w.topics()));
    }

    @Test
    void everySubjectRegistersInAFreshRegistry() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        SchemaCatalog.subjects().forEach(registry::register);

        assertThat(registry.subjects()).hasSize(Workflows.topics().size());
    }

    @Test
    void configsSpellCleanupAndRetention() {
        assertThat(Topics.REQUESTS.configs())
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", Long.toString(Duration.ofDays(7).toMillis()));
        assertThat(KeysWorkflow.SIGNING_KEYS.configs())
                .containsEntry("cleanup.policy", "compact")
                .containsEntry("retention.ms", "-1");
    }

    @Test
    void rejectsInvalidDeclarations() {
        assertThatThrownBy(() -> Topics.REQUESTS.withName("bad name")).hasMessageContaining("invalid topic name");
        assertThatThrownBy(() -> new Topic<>(
                        "t", Codec.utf8(), Codec.utf8(), 0, CleanupPolicy.DELETE, null, TopicRole.EVENT, false, "d"))
                .hasMessageContaining("partitions must be >= 1");
        assertThatThrownBy(() -> new Topic<>(
                        "t", Codec.utf8(), Codec.utf8(), 1, CleanupPolicy.DELETE, null, TopicRole.DECISION, true, "d"))
                .hasMessageContaining("only event topics are open to ingest");
    }
}
