package io.streamops.topologies.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.common.DeadLetter;
import io.streamops.common.Mode;
import io.streamops.decisions.CacheInvalidation;
import io.streamops.events.DbChange;
import io.streamops.events.DbOp;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.testing.InMemorySchemaRegistry;
import io.streamops.schemas.testing.TestEvents;
import io.streamops.schemas.topics.Topics;
import io.streamops.topologies.runtime.StreamsRunner;
import io.streamops.workflows.cache.CacheWorkflow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheInvalidationTopologyTest {

    private static final Instant BEGINNING = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant COMMITTED = BEGINNING.plusSeconds(5);
    private static final String RULES = """
            tables:
              public.products:
                keys: ['/api/products/{id}']
                prefixes: ['/api/products?category={category}']
            """;

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final TopicBinder topics = TopicBinder.of(registry);
    private TopologyTestDriver driver;
    private TestInputTopic<String, DbChange> changes;
    private TestInputTopic<String, byte[]> rawChanges;
    private TestOutputTopic<String, CacheInvalidation> invalidations;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        CacheInvalidationTopology.build(builder, CacheInvalidationConfig.of(RULES), topics);
        driver = new TopologyTestDriver(
                builder.build(),
                StreamsRunner.testProperties(new CacheInvalidationOperator(), stateDir, topics, registry),
                BEGINNING);
        BoundTopic<String, DbChange> in = topics.bind(Topics.DB_CHANGES);
        changes = driver.createInputTopic(
                in.name(), new StringSerializer(), in.value().serializer());
        rawChanges = driver.createInputTopic(in.name(), new StringSerializer(), new ByteArraySerializer());
        BoundTopic<String, CacheInvalidation> out = topics.bind(CacheWorkflow.DECISIONS);
        invalidations = driver.createOutputTopic(
                out.name(), out.key().deserializer(), out.value().deserializer());
        BoundTopic<String, DeadLetter> dlq = topics.bind(CacheWorkflow.DEAD_LETTERS);
        deadLetters = driver.createOutputTopic(
                dlq.name(), dlq.key().deserializer(), dlq.value().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aProductMovedToAnotherCategoryInvalidatesItsPageAndBothListingsWithTheChangeAsEvidence() {
        changes.pipeInput(
                "public.products:42",
                change("products", "e-1", DbOp.UPDATE, row("42", "books", "9.99"), row("42", "games", "9.99")));

        List<KeyValue<String, CacheInvalidation>> decided = invalidations.readKeyValuesToList();
        assertThat(decided).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("public.products");
            CacheInvalidation decision = kv.value;
            assertThat(decision.getKeys()).containsExactly("/api/products/42");
            assertThat(decision.getPrefixes())
                    .containsExactly("/api/products?category=books", "/api/products?category=games");
            assertThat(decision.getSourceTable()).isEqualTo("public.products");
            assertThat(decision.getCommittedAt()).isEqualTo(COMMITTED);
            assertThat(decision.getEnvelope().getOperator()).isEqualTo(CacheWorkflow.OPERATOR);
            assertThat(decision.getEnvelope().getMode()).isEqualTo(Mode.ENFORCE);
            assertThat(decision.getEnvelope().getPolicy().getName()).isEqualTo("cache-rules");
            assertThat(decision.getEnvelope().getEventTime()).isEqualTo(COMMITTED);
            assertThat(decision.getEnvelope().getEvidence().getSummary())
                    .isEqualTo("UPDATE of public.products row {id=42} (changed category): "
                            + "1 key(s) and 2 prefix(es) stale");
            assertThat(decision.getEnvelope().getEvidence().getInputs())
                    .singleElement()
                    .satisfies(input -> {
                        assertThat(input.getEventId()).isEqualTo("e-1");
                        assertThat(input.getOffset()).isZero();
                    });
        });
    }

    @Test
    void theSameChangeDeliveredTwiceGivesTheSameDecisionId() {
        DbChange change = change("products", "e-2", DbOp.DELETE, row("7", "books", "1.00"), null);
        changes.pipeInput("public.products:7", change);
        changes.pipeInput("public.products:7", change);

        List<CacheInvalidation> decided = invalidations.readValuesToList();
        assertThat(decided).hasSize(2);
        assertThat(decided.get(0).getEnvelope().getDecisionId())
                .isEqualTo(decided.get(1).getEnvelope().getDecisionId());
    }

    @Test
    void snapshotReadsAndTablesWithoutRulesInvalidateNothing() {
        changes.pipeInput("public.products:1", change("products", "e-3", DbOp.READ, null, row("1", "books", "2.00")));
        changes.pipeInput("public.users:1", change("users", "e-4", DbOp.UPDATE, Map.of("id", "1"), Map.of("id", "2")));

        assertThat(invalidations.isEmpty()).isTrue();
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void anUnreadableChangeGoesToTheDeadLetterTopicAndTheNextOneIsDecided() {
        rawChanges.pipeInput("public.products:1", "not avro".getBytes(StandardCharsets.UTF_8));
        changes.pipeInput("public.products:5", change("products", "e-5", DbOp.CREATE, null, row("5", "toys", "3.00")));

        assertThat(deadLetters.readValuesToList())
                .singleElement()
                .satisfies(dead -> assertThat(dead.getReason()).isNotBlank());
        assertThat(invalidations.readValuesToList())
                .singleElement()
                .satisfies(d -> assertThat(d.getKeys()).containsExactly("/api/products/5"));
    }

    private static Map<String, String> row(String id, String category, String price) {
        return Map.of("id", id, "category", category, "price", price);
    }

    private static DbChange change(
            String table, String eventId, DbOp op, Map<String, String> before, Map<String, String> after) {
        return TestEvents.dbChange(eventId, table, op, before, after, COMMITTED);
    }
}
