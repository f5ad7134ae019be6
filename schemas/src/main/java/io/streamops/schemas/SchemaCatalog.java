package io.streamops.schemas;

import io.streamops.schemas.topics.Codec;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicNaming;
import io.streamops.schemas.workflow.Workflows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * Every registry subject the pipeline writes, with its schema: those of the shared event topics and
 * of every workflow's topics. A release snapshots this into {@code schemas/released/<version>/}
 * ({@code ./streamops schemas release <version>}); from then on the build checks that the current
 * schemas read everything the latest release wrote (BACKWARD). Until a release, contracts are free.
 */
public final class SchemaCatalog {

    private SchemaCatalog() {}

    /** Subject name to schema, for every topic with an Avro key or value. */
    public static Map<String, Schema> subjects() {
        return subjects(TopicNaming.DECLARED);
    }

    /** The same, under a deployment's topic names. */
    public static Map<String, Schema> subjects(TopicNaming naming) {
        Map<String, Schema> subjects = new TreeMap<>();
        for (Topic<?, ?> declared : Workflows.topics()) {
            Topic<?, ?> topic = naming.resolve(declared);
            if (topic.key() instanceof Codec.Avro<?> key) {
                subjects.put(topic.name() + "-key", key.schema());
            }
            if (topic.value() instanceof Codec.Avro<?> value) {
                subjects.put(topic.valueSubject(), value.schema());
            }
        }
        return subjects;
    }

    /** Writes one {@code <subject>.avsc} per subject into {@code dir}: the snapshot of a release. */
    public static void writeSnapshot(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, Schema> subject : subjects().entrySet()) {
            Files.writeString(
                    dir.resolve(subject.getKey() + ".avsc"), subject.getValue().toString(true) + "\n");
        }
    }
}
