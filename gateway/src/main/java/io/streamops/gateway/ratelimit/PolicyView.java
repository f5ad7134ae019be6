package io.streamops.gateway.ratelimit;

import io.streamops.ratelimit.RateLimitPolicy;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.serde.BoundTopic;
import io.streamops.schemas.topics.TopicView;
import io.streamops.workflows.ratelimit.policy.RateLimitRules;
import io.streamops.workflows.ratelimit.policy.RulesException;
import io.streamops.workflows.ratelimit.policy.RulesParser;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate-limit policies in force, one per domain, from the compacted config topic: reloaded the
 * moment a new one is applied, with no restart. A policy that does not parse (it cannot reach the
 * topic through {@code streamops ratelimit apply}, but a hand-written record could) is ignored and
 * counted, and the domain's running policy stays.
 */
final class PolicyView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyView.class);

    private final Map<String, RateLimitRules> byDomain = new TreeMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final TopicView<RateLimitPolicy> view;
    private volatile List<RateLimitRules> current = List.of();

    PolicyView(KafkaClients kafka, BoundTopic<String, RateLimitPolicy> topic) {
        this.view = new TopicView<>(
                kafka,
                topic.name(),
                topic.key().deserializer(),
                topic.value().deserializer(),
                r -> apply(r.key(), r.value()));
    }

    /** The policies in force now: a snapshot, read on every request without a lock. */
    List<RateLimitRules> current() {
        return current;
    }

    long refused() {
        return refused.get();
    }

    private synchronized void apply(String domain, RateLimitPolicy policy) {
        if (domain == null) {
            return;
        }
        if (policy == null) {
            byDomain.remove(domain);
        } else {
            try {
                byDomain.put(domain, RulesParser.parse(policy.getYaml()));
                LOG.info(
                        "Rate-limit policy {} v{} in force (from {})", domain, policy.getVersion(), policy.getSource());
            } catch (RulesException e) {
                refused.incrementAndGet();
                LOG.warn(
                        "Rate-limit policy {} v{} refused, the running one stays: {}",
                        domain,
                        policy.getVersion(),
                        e.getMessage());
                return;
            }
        }
        current = List.copyOf(byDomain.values());
    }

    @Override
    public void close() {
        view.close();
    }
}
