package io.streamops.platform.ratelimit;

import io.streamops.ratelimit.RateLimitPolicy;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.serde.TopicBinder;
import io.streamops.schemas.topics.TopicView;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import io.streamops.workflows.ratelimit.policy.RateLimitRules;
import io.streamops.workflows.ratelimit.policy.RulesParser;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code streamops ratelimit apply FILE}: a policy file, checked first (a bad one is refused with its
 * line and the reason, and nothing is written), then written to the compacted config topic as the
 * next version of its domain. The operator and every gateway pick it up without a restart.
 */
public final class PolicyPublisher {

    private PolicyPublisher() {}

    /** What was applied: the domain and its new version. */
    public record Applied(String domain, long version) {}

    /**
     * @throws io.streamops.workflows.ratelimit.policy.RulesException when the file is not a valid policy
     */
    public static Applied apply(String yaml, String source, KafkaClients kafka, TopicBinder topics, Clock clock)
            throws Exception {
        RateLimitRules rules = RulesParser.parse(yaml);
        BoundTopic<String, RateLimitPolicy> topic = topics.bind(RateLimitWorkflow.POLICIES);
        AtomicLong version = new AtomicLong();
        TopicView.readAll(
                kafka, topic.name(), new StringDeserializer(), topic.value().deserializer(), r -> {
                    if (rules.domain().equals(r.key()) && r.value() != null) {
                        version.set(Math.max(version.get(), r.value().getVersion()));
                    }
                });
        RateLimitPolicy policy = RateLimitPolicy.newBuilder()
                .setDomain(rules.domain())
                .setYaml(yaml)
                .setVersion(version.get() + 1)
                .setSource(source)
                .setAppliedAt(clock.instant())
                .build();
        try (KafkaProducer<String, RateLimitPolicy> producer = kafka.producer(
                "streamops-ratelimit-apply",
                Map.of("acks", "all", "enable.idempotence", true),
                topic.key().serializer(),
                topic.value().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), rules.domain(), policy))
                    .get(Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return new Applied(rules.domain(), policy.getVersion());
    }
}
