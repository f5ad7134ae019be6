package io.streamops.schemas.testing;

import io.streamops.events.CacheStatus;
import io.streamops.events.DbOp;
import io.streamops.events.LogLevel;
import io.streamops.events.RequestEvent;
import io.streamops.events.WriteIntent;
import io.streamops.events.WriteOp;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.Topics;
import io.streamops.workflows.batching.BatchingWorkflow;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The i-th event of a shared event topic, keyed as producers key it, for load: the benchmarks feed
 * every operator that reads a topic from here. An event topic gets its sample beside its test
 * builder; a workflow that reads existing topics adds nothing here.
 */
public final class SampleEvents {

    /** A key and a value. */
    public record Sample(String key, SpecificRecord value) {}

    /** How to make the i-th event at an instant. */
    @FunctionalInterface
    public interface Maker {
        Sample make(int i, Instant at);
    }

    private static final Map<String, Maker> BY_TOPIC = Map.of(
            Topics.REQUESTS.name(),
                    (i, at) -> {
                        String client = "198.51.100." + (i % 200);
                        RequestEvent.Builder request =
                                TestEvents.request("e-" + i, at).setClientAddress(client);
                        if (i % 4 == 0) {
                            // A quarter are lookups of a cached route (one in ten a miss), for the cache-ttl operator.
                            request.setRoute("products")
                                    .setPath("/api/products/" + (i / 4 % 1000))
                                    .setCacheStatus(i % 40 == 0 ? CacheStatus.MISS : CacheStatus.HIT)
                                    .setAttributes(Map.of("cache.ttl", "600000"));
                        }
                        return new Sample("ip:" + client, request.build());
                    },
            BatchingWorkflow.INTENTS.name(),
                    (i, at) -> {
                        // A hit counter of one of 1,000 hot pages.
                        String page = Integer.toString(i % 1000);
                        return new Sample(
                                "page:" + page,
                                WriteIntent.newBuilder()
                                        .setEventId("w-" + i)
                                        .setOccurredAt(at)
                                        .setTable("page_hits")
                                        .setOp(WriteOp.INCREMENT)
                                        .setKey(Map.of("page", page))
                                        .setValues(Map.of("hits", "1"))
                                        .build());
                    },
            Topics.DB_CHANGES.name(),
                    (i, at) -> {
                        // A product moved between two categories, under the rules PRODUCT_RULES.
                        String id = Integer.toString(i % 1000);
                        return new Sample(
                                "public.products:" + id,
                                TestEvents.dbChange(
                                        "c-" + i,
                                        "products",
                                        DbOp.UPDATE,
                                        Map.of("id", id, "category", "books", "price", "10"),
                                        Map.of("id", id, "category", "games", "price", "12"),
                                        at));
                    },
            Topics.LOGS.name(),
                    (i, at) -> {
                        String service = "service-" + (i % 20);
                        LogLevel level = i % 10 == 0 ? LogLevel.ERROR : LogLevel.INFO;
                        return new Sample(
                                service,
                                TestEvents.log("l-" + i, at, service, level).build());
                    });

    /** Cache rules under which each sample row change makes one key and two prefixes stale. */
    public static final String PRODUCT_RULES = """
            tables:
              public.products:
                keys: ['/api/products/{id}']
                prefixes: ['/api/products?category={category}']
            """;

    private SampleEvents() {}

    public static Optional<Maker> of(Topic<?, ?> topic) {
        return Optional.ofNullable(BY_TOPIC.get(topic.name()));
    }
}
