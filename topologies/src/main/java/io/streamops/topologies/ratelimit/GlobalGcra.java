package io.streamops.topologies.ratelimit;

import io.streamops.common.Evidence;
import io.streamops.common.Mode;
import io.streamops.decisions.RateLimit;
import io.streamops.decisions.RateLimitAction;
import io.streamops.decisions.RateLimitRule;
import io.streamops.ratelimit.RateLimitHit;
import io.streamops.schemas.decision.Decisions;
import io.streamops.workflows.ratelimit.policy.Gcra;
import io.streamops.workflows.ratelimit.policy.Limit;
import io.streamops.workflows.ratelimit.policy.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One GCRA per bucket over every gateway's admitted requests, in event time. A request that did not
 * conform, while the bucket is not already limited, decides a BLOCK until the bucket's next request
 * would conform. A request a gateway refused, while nothing holds, decides a THROTTLE: the bucket's
 * demand is over its limit, and gateways stop lending it headroom for a while. A punctuator on stream time drops buckets whose TAT and limit have lapsed, so the
 * store holds recently active buckets only.
 */
final class GlobalGcra implements Processor<String, RateLimitHit, String, RateLimit> {

    static final Duration SWEEP = Duration.ofSeconds(10);
    /** How far over its limit, in time, a bucket's sum may look before it is over: clock skew and rounding. */
    static final long SLACK = Duration.ofMillis(5).toNanos();
    /** A gateway that admitted nothing of a bucket for this long is no longer named in its evidence. */
    static final long INSTANCE_MEMORY = Duration.ofMinutes(1).toNanos();

    private final RequestRateConfig config;
    private ProcessorContext<String, RateLimit> context;
    private KeyValueStore<String, BucketState> buckets;

    GlobalGcra(RequestRateConfig config) {
        this.config = config;
    }

    @Override
    public void init(ProcessorContext<String, RateLimit> context) {
        this.context = context;
        this.buckets = context.getStateStore(RequestRateTopology.STORE);
        context.schedule(SWEEP, PunctuationType.STREAM_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, RateLimitHit> record) {
        RateLimitHit hit = record.value();
        if (hit == null) {
            return;
        }
        long now = hit.getOccurredAt().toEpochMilli() * 1_000_000L;
        RateLimitRule rule = hit.getRule();
        Unit unit = Unit.parse(rule.getUnit()).orElse(Unit.SECOND);
        Gcra gcra =
                new Limit(unit, rule.getRequestsPerUnit(), rule.getBurst(), false, rule.getName(), List.of()).gcra();
        BucketState state = buckets.get(hit.getBucket());
        if (state == null) {
            state = new BucketState();
        }
        state.period = unit.period().toNanos();
        state.instances.put(hit.getGatewayId(), now);
        state.instances.values().removeIf(seen -> seen < now - INSTANCE_MEMORY);
        if (now - state.windowStart >= state.period) {
            state.windowStart = now;
            state.windowCount = 0;
            state.windowRefused = 0;
        }
        boolean enforced = enforced(hit);
        if (hit.getRefused()) {
            // Demand beyond what the gateways' shares let through: it does not count against the limit,
            // but the bucket is over it, so the gateways stop lending it headroom (one THROTTLE while it
            // lasts; none while a BLOCK holds, whose refusals these are).
            state.windowRefused++;
            if (now >= state.limitedUntil && now >= state.throttledUntil) {
                state.throttledUntil = now + throttleHold(state.period);
                context.forward(new Record<>(
                        hit.getBucket(),
                        decide(hit, state, now, unit, enforced, RateLimitAction.THROTTLE, state.throttledUntil),
                        record.timestamp()));
            }
            buckets.put(hit.getBucket(), state);
            return;
        }
        state.windowCount++;
        Gcra.Outcome outcome = gcra.check(state.tat, now);
        // Gateways admitting exactly their shares can look a hair over the sum: their clocks differ and
        // event times are in milliseconds. Only a request over by more than that is over the limit.
        boolean over = !gcra.check(state.tat, now + SLACK).allowed();
        if (outcome.allowed() || enforced) {
            // A request a gateway served is owed whether or not it conformed, so an overshoot (gateways
            // admitting before the limit reached them) is paid back by a longer limit, capped at one unit.
            // In shadow nothing is refused, and what would have been is not owed.
            long owed = Math.max(state.tat, now) + gcra.emission();
            state.tat = Math.min(owed, now + gcra.tolerance() + state.period);
        }
        if (over && now >= state.limitedUntil) {
            state.limitedUntil = Math.max(now + outcome.retryAfter(), state.tat - gcra.tolerance());
            context.forward(new Record<>(
                    hit.getBucket(),
                    decide(hit, state, now, unit, enforced, RateLimitAction.BLOCK, state.limitedUntil),
                    record.timestamp()));
        }
        buckets.put(hit.getBucket(), state);
    }

    /** How long a THROTTLE holds: the rule's unit, at least 10 seconds and at most a minute. */
    static long throttleHold(long period) {
        return Math.max(
                Duration.ofSeconds(10).toNanos(),
                Math.min(period, Duration.ofMinutes(1).toNanos()));
    }

    private boolean enforced(RateLimitHit hit) {
        return config.mode() == Mode.ENFORCE && !hit.getShadow();
    }

    private RateLimit decide(
            RateLimitHit hit,
            BucketState state,
            long now,
            Unit unit,
            boolean enforced,
            RateLimitAction action,
            long untilNanos) {
        RateLimitRule rule = hit.getRule();
        Instant at = Instant.ofEpochMilli(now / 1_000_000L);
        Instant until = Instant.ofEpochMilli(untilNanos / 1_000_000L);
        double seconds = Math.max(1e-9, (now - state.windowStart) / 1e9);
        double observed = state.windowCount / Math.max(seconds, 1.0);
        String summary = String.format(
                "%s: %d requests admitted in %.1fs through %d gateway(s)%s; the limit is %d per %s (burst %d)",
                hit.getBucket(),
                state.windowCount,
                seconds,
                state.instances.size(),
                action == RateLimitAction.THROTTLE
                        ? ", " + state.windowRefused + " more refused by their shares"
                        : ", over the limit",
                rule.getRequestsPerUnit(),
                rule.getUnit(),
                rule.getBurst());
        Evidence evidence = Decisions.evidence(summary)
                .measured("admitted", state.windowCount)
                .measured("refused", state.windowRefused)
                .measured("admittedPerSecond", observed)
                .measured("gateways", state.instances.size())
                .threshold("requestsPerUnit", rule.getRequestsPerUnit())
                .threshold("burst", rule.getBurst())
                .window(Instant.ofEpochMilli(state.windowStart / 1_000_000L), at)
                .input(hit.getTopic(), hit.getPartition(), hit.getOffset(), hit.getEventId(), hit.getOccurredAt())
                .build();
        Mode mode = enforced ? Mode.ENFORCE : Mode.SHADOW;
        return RateLimit.newBuilder()
                .setEnvelope(Decisions.envelope(
                        RequestRateTopology.NAME,
                        RequestRateTopology.POLICY,
                        mode,
                        at,
                        Instant.ofEpochMilli(context.currentSystemTimeMs()),
                        evidence,
                        hit.getBucket() + "@" + action + "@" + until.toEpochMilli()))
                .setKey(hit.getBucket())
                .setAction(action)
                .setLimitPerSecond(
                        rule.getRequestsPerUnit() / (double) unit.period().toSeconds())
                .setExpiresAt(until)
                .setDomain(hit.getDomain())
                .setDescriptor(hit.getDescriptor())
                .setRule(rule)
                .setObservedPerSecond(observed)
                .setInstances(new ArrayList<>(state.instances.keySet()))
                .build();
    }

    private void sweep(long streamTimeMillis) {
        long now = streamTimeMillis * 1_000_000L;
        List<String> lapsed = new ArrayList<>();
        try (KeyValueIterator<String, BucketState> all = buckets.all()) {
            while (all.hasNext()) {
                KeyValue<String, BucketState> entry = all.next();
                if (entry.value.lapsed(now)) {
                    lapsed.add(entry.key);
                }
            }
        }
        lapsed.forEach(buckets::delete);
    }
}
