package io.streamops.platform;

import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.registry.SchemaRegistryClient;
import io.streamops.schemas.topics.TopicView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** {@code streamops why}: the answer to "why did it limit / alert / invalidate this?". */
public final class Why {

    private Why() {}

    /**
     * Every committed decision of a topic about one key (or all, for a null key), each with its
     * whole envelope and evidence, read through the writer schema of each record.
     */
    public static List<String> decisions(KafkaClients kafka, String topic, String key, SchemaRegistryClient registry) {
        List<String> answers = new ArrayList<>();
        TopicView.readAll(kafka, topic, new StringDeserializer(), new ByteArrayDeserializer(), record -> {
            if (key == null || key.equals(record.key())) {
                try {
                    answers.add(record.key() + " @ " + record.topic() + "-" + record.partition() + ":" + record.offset()
                            + "\n" + DecisionTail.decode(registry, record.value()));
                } catch (IOException e) {
                    answers.add(record.key() + " @ " + record.offset() + ": unreadable (" + e.getMessage() + ")");
                }
            }
        });
        return answers;
    }
}
