package io.streamops.schemas.serde;

import io.streamops.schemas.topics.Topic;
import org.apache.kafka.common.serialization.Serde;

/** A topic as a deployment sees it: its resolved name and its serdes. */
public record BoundTopic<K, V>(Topic<K, V> topic, Serde<K> key, Serde<V> value) {

    public String name() {
        return topic.name();
    }
}
