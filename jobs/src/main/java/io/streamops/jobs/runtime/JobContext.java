package io.streamops.jobs.runtime;

import io.streamops.schemas.config.FlinkKeys;
import io.streamops.schemas.config.Settings;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.registry.RegistryClients;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicNaming;

/**
 * Where jobs find Kafka and the registry, what the deployment calls its topics, and whether the job
 * reads its inputs to their current end and stops (a replay) or runs on.
 */
public record JobContext(
        KafkaClients kafka, RegistryClients registry, TopicNaming naming, String groupPrefix, boolean bounded) {

    public static JobContext from(Settings settings) {
        return new JobContext(
                KafkaClients.from(settings),
                RegistryClients.rest(settings.require(RegistryClients.URL)),
                TopicNaming.from(settings),
                FlinkKeys.groupPrefix(settings),
                false);
    }

    /** The same context for a replay: inputs read to their current end, then the job finishes. */
    public JobContext toCurrentEnd() {
        return new JobContext(kafka, registry, naming, groupPrefix, true);
    }

    /** Consumer group and transactional-id prefix of a job. */
    public String idFor(String job) {
        return groupPrefix + job;
    }

    /** A topic's name in this deployment. */
    public String name(Topic<?, ?> topic) {
        return naming.resolve(topic.name());
    }
}
