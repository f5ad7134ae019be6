package io.streamops.jobs.runtime;

import io.streamops.schemas.config.Settings;
import io.streamops.schemas.registry.RegistryClients;
import io.streamops.schemas.topics.TopicNaming;

/** Where jobs find Kafka and the registry, and what the deployment calls its topics. */
public record JobContext(String bootstrapServers, RegistryClients registry, TopicNaming naming, String groupPrefix) {

    public static JobContext from(Settings settings) {
        return new JobContext(
                settings.required("streamops.kafka.bootstrap"),
                RegistryClients.rest(settings.required("streamops.registry.url")),
                TopicNaming.from(settings),
                settings.string("streamops.flink.group.prefix", "streamops-"));
    }

    /** Consumer group and transactional-id prefix of a job. */
    public String idFor(String job) {
        return groupPrefix + job;
    }
}
