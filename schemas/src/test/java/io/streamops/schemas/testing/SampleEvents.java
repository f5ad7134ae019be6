package io.streamops.schemas.testing;

import io.streamops.events.LogLevel;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.Topics;
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
                        return new Sample(
                                "ip:" + client,
                                TestEvents.request("e-" + i, at)
                                        .setClientAddress(client)
                                        .build());
                    },
            Topics.LOGS.name(),
                    (i, at) -> {
                        String service = "service-" + (i % 20);
                        LogLevel level = i % 10 == 0 ? LogLevel.ERROR : LogLevel.INFO;
                        return new Sample(
                                service,
                                TestEvents.log("l-" + i, at, service, level).build());
                    });

    private SampleEvents() {}

    public static Optional<Maker> of(Topic<?, ?> topic) {
        return Optional.ofNullable(BY_TOPIC.get(topic.name()));
    }
}
