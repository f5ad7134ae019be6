package io.streamops.topologies.ratelimit;

import io.streamops.decisions.DescriptorEntry;
import io.streamops.decisions.RateLimitRule;
import io.streamops.events.RequestEvent;
import io.streamops.ratelimit.RateLimitHit;
import io.streamops.ratelimit.RateLimitPolicy;
import io.streamops.workflows.ratelimit.policy.Limit;
import io.streamops.workflows.ratelimit.policy.RateLimitRules;
import io.streamops.workflows.ratelimit.policy.RequestDescriptors;
import io.streamops.workflows.ratelimit.policy.RulesException;
import io.streamops.workflows.ratelimit.policy.RulesParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts each request a gateway answered (admitted, or refused for a rate limit) into the buckets of every domain's policy, as the gateways do, and
 * forwards one hit per bucket, keyed by the bucket. A policy that does not parse is skipped (it was
 * refused when it was applied; a later valid one replaces it).
 */
final class MatchBuckets implements Processor<String, RequestEvent, String, RateLimitHit> {

    private static final Logger LOG = LoggerFactory.getLogger(MatchBuckets.class);

    private final RequestRateConfig config;
    /** Parsed policies by domain, with the version they were parsed from: a policy is parsed once per version. */
    private final Map<String, Parsed> parsed = new HashMap<>();

    private ProcessorContext<String, RateLimitHit> context;
    private KeyValueStore<String, RateLimitPolicy> policies;

    private record Parsed(long version, RateLimitRules rules) {}

    MatchBuckets(RequestRateConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, RateLimitHit> context) {
        this.context = context;
        this.policies = context.getStateStore(RequestRateTopology.POLICY_STORE);
    }

    @Override
    public void process(Record<String, RequestEvent> record) {
        RequestEvent request = record.value();
        if (request == null) {
            return;
        }
        boolean refused = "refused".equals(request.getAttributes().get(RequestDescriptors.REFUSED));
        RequestDescriptors.Request view = new RequestDescriptors.Request(
                request.getClientAddress(),
                request.getRoute(),
                request.getPrincipal(),
                request.getMethod(),
                request.getPath(),
                header -> request.getAttributes().get(RequestDescriptors.HEADER_ATTRIBUTE + header));
        RecordMetadata source = context.recordMetadata().orElseThrow();
        for (RateLimitRules rules : rules()) {
            for (RateLimitRules.Match match : rules.match(key -> RequestDescriptors.valueOf(key, view))) {
                context.forward(
                        new Record<>(match.bucket(), hit(rules, match, request, refused, source), record.timestamp()));
            }
        }
    }

    private List<RateLimitRules> rules() {
        if (config.fixedPolicy().isPresent()) {
            return List.of(config.fixedPolicy().get());
        }
        List<RateLimitRules> all = new ArrayList<>();
        try (KeyValueIterator<String, RateLimitPolicy> it = policies.all()) {
            it.forEachRemaining(entry -> {
                RateLimitPolicy policy = entry.value;
                Parsed known = parsed.get(policy.getDomain());
                if (known == null || known.version() != policy.getVersion()) {
                    try {
                        known = new Parsed(policy.getVersion(), RulesParser.parse(policy.getYaml()));
                    } catch (RulesException e) {
                        LOG.warn(
                                "Rate-limit policy {} v{} does not parse, skipped: {}",
                                policy.getDomain(),
                                policy.getVersion(),
                                e.getMessage());
                        known = new Parsed(policy.getVersion(), null);
                    }
                    parsed.put(policy.getDomain(), known);
                }
                if (known.rules() != null) {
                    all.add(known.rules());
                }
            });
        }
        return all;
    }

    private static RateLimitHit hit(
            RateLimitRules rules,
            RateLimitRules.Match match,
            RequestEvent request,
            boolean refused,
            RecordMetadata source) {
        Limit limit = match.limit();
        return RateLimitHit.newBuilder()
                .setBucket(match.bucket())
                .setDomain(rules.domain())
                .setDescriptor(match.path().stream()
                        .map(e -> new DescriptorEntry(e.getKey(), e.getValue()))
                        .toList())
                .setRule(new RateLimitRule(
                        limit.requestsPerUnit(), limit.unit().toString(), limit.burst(), limit.name()))
                .setShadow(match.descriptor().shadow())
                .setRefused(refused)
                .setGatewayId(request.getGatewayId())
                .setEventId(request.getEventId())
                .setOccurredAt(request.getOccurredAt())
                .setTopic(source.topic())
                .setPartition(source.partition())
                .setOffset(source.offset())
                .build();
    }
}
