package io.streamops.topologies.runtime;

import io.streamops.common.DeadLetter;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.Topic;
import java.util.List;
import org.apache.kafka.streams.Topology;

/**
 * A Kafka Streams operator as the runner sees it: a name, the topics it needs, and its topology
 * built from settings. Each operator's logic lives in a pure builder of its own; this is the seam a
 * workflow plugs into ({@link StreamsOperators#ALL}).
 */
public interface StreamsOperator {

    /** Short name: the application id is {@code streamops-<name>}. */
    String name();

    /** Topics it reads and writes, its dead-letter topic included (as declared). */
    List<Topic<?, ?>> topics();

    /** Its dead-letter topic (as declared). */
    Topic<String, DeadLetter> deadLetters();

    /** Reads and validates its config from {@code settings}, then builds its topology. */
    Topology topology(Settings settings, TopicBinder topics);
}
