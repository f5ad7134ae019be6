package io.streamops.gateway.ratelimit;

import io.streamops.common.Mode;
import io.streamops.decisions.RateLimit;
import io.streamops.decisions.RateLimitAction;
import io.streamops.gateway.RequestContext;
import io.streamops.gateway.filter.GatewayFilter;
import io.streamops.gateway.filter.Verdict;
import io.streamops.gateway.http.JsonAnswer;
import io.streamops.gateway.view.DecisionLookup;
import io.streamops.workflows.ratelimit.policy.Gcra;
import io.streamops.workflows.ratelimit.policy.Limit;
import io.streamops.workflows.ratelimit.policy.RateLimitRules;
import io.streamops.workflows.ratelimit.policy.RequestDescriptors;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Workflow 6 on the request path, with no network hop: the request's buckets under every policy in
 * force, each checked against this gateway's share of its limit (its GCRA scaled by headroom / live
 * gateways) and against the global limits the operator decided (a bucket under a live ENFORCE BLOCK
 * is refused on every gateway until it lapses; under a THROTTLE, each gateway admits exactly its
 * share of it, without headroom). A request refused by any bucket
 * gets 429 with {@code Retry-After}; every answer carries the IETF {@code RateLimit-Policy} and
 * {@code RateLimit} fields of its buckets. In shadow mode (globally, or a rule's {@code shadow_mode})
 * it is served and counted as would-have-been-refused.
 */
public final class RateLimitFilter implements GatewayFilter {

    static final int ORDER = 200;

    private final Supplier<List<RateLimitRules>> policies;
    private final DecisionLookup<RateLimit> decisions;
    private final LocalBuckets local;
    private final IntSupplier liveGateways;
    private final BooleanSupplier connected;
    private final double headroom;
    private final Mode mode;
    private final Clock clock;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong refusedGlobally = new AtomicLong();
    private final AtomicLong shadow = new AtomicLong();
    private final AtomicLong failOpen = new AtomicLong();

    RateLimitFilter(
            Supplier<List<RateLimitRules>> policies,
            DecisionLookup<RateLimit> decisions,
            LocalBuckets local,
            IntSupplier liveGateways,
            BooleanSupplier connected,
            double headroom,
            Mode mode,
            Clock clock) {
        this.policies = policies;
        this.decisions = decisions;
        this.local = local;
        this.liveGateways = liveGateways;
        this.connected = connected;
        this.headroom = headroom;
        this.mode = mode;
        this.clock = clock;
    }

    /**
     * A filter with buckets of its own, outside a gateway's extension (the benchmarks): policies,
     * global limits and live gateways as given, always connected.
     */
    public static RateLimitFilter standalone(
            Supplier<List<RateLimitRules>> policies,
            DecisionLookup<RateLimit> decisions,
            IntSupplier liveGateways,
            double headroom,
            Mode mode,
            Clock clock) {
        return new RateLimitFilter(
                policies, decisions, new LocalBuckets(), liveGateways, () -> true, headroom, mode, clock);
    }

    @Override
    public String name() {
        return "ratelimit";
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public Verdict onRequest(RequestContext request) {
        List<RateLimitRules> inForce = policies.get();
        if (inForce.isEmpty()) {
            return Verdict.PROCEED;
        }
        RequestDescriptors.Request view = new RequestDescriptors.Request(
                request.clientAddress(),
                request.route().name(),
                request.principal(),
                request.method(),
                request.path(),
                request::header);
        List<RateLimitRules.Match> matches = null;
        for (RateLimitRules rules : inForce) {
            for (String header : rules.headerKeys()) {
                String value = request.header(header);
                if (value != null) {
                    // What the operator (and a replay) needs to put the request in the same buckets.
                    request.attribute(RequestDescriptors.HEADER_ATTRIBUTE + header, value);
                }
            }
            List<RateLimitRules.Match> found = rules.match(key -> RequestDescriptors.valueOf(key, view));
            if (matches == null || matches.isEmpty()) {
                matches = found;
            } else if (!found.isEmpty()) {
                matches = new ArrayList<>(matches);
                matches.addAll(found);
            }
        }
        if (matches.isEmpty()) {
            return Verdict.PROCEED;
        }
        Instant instant = clock.instant();
        long now = instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        if (!connected.getAsBoolean()) {
            // Kafka cannot be read: global limits may be missing or stale, and the other gateways are no
            // longer seen (so this one's share grows to the whole limit). It fails open to its own share.
            failOpen.incrementAndGet();
        }
        int live = Math.max(1, liveGateways.getAsInt());
        double share = Math.min(1.0, headroom / live);
        int n = matches.size();
        double exactShare = 1.0 / live;
        // A bucket the operator limited is refused everywhere; the request then takes nothing from this
        // gateway's shares, so that they are whole when the limit lapses.
        // A THROTTLE (the bucket's demand is over its limit) takes away the headroom: this gateway admits
        // exactly its share of the bucket.
        Refusal refusal = null;
        boolean wouldRefuse = false;
        int enforcedCount = 0;
        boolean[] throttled = new boolean[n];
        for (int i = 0; i < n; i++) {
            RateLimitRules.Match match = matches.get(i);
            boolean enforced = isEnforced(match);
            enforcedCount += enforced ? 1 : 0;
            Optional<RateLimit> global = decisions.current(match.bucket());
            if (global.isEmpty()) {
                continue;
            }
            boolean enforcing = global.get().getEnvelope().getMode() == Mode.ENFORCE;
            if (global.get().getAction() == RateLimitAction.THROTTLE) {
                throttled[i] = enforced && enforcing;
            } else if (enforced && enforcing) {
                long retryAfter = Math.max(0, global.get().getExpiresAt().toEpochMilli() * 1_000_000L - now);
                refusal = worse(refusal, new Refusal(match, retryAfter, global));
            } else {
                wouldRefuse = true;
            }
        }
        // Enforced buckets take from this gateway's shares all together or not at all; a bucket in shadow
        // (globally, or its rule's shadow_mode) takes on its own, as if enforced, and refuses nothing.
        String[] enforcedBuckets = new String[enforcedCount];
        Gcra[] enforcedLimits = new Gcra[enforcedCount];
        int[] enforcedAt = new int[enforcedCount];
        Gcra.Outcome[] outcomes = new Gcra.Outcome[n];
        for (int i = 0, e = 0; i < n; i++) {
            RateLimitRules.Match match = matches.get(i);
            Gcra gcra = throttled[i] ? match.limit().gcra().share(exactShare) : shareOf(match.limit(), share);
            if (isEnforced(match)) {
                enforcedBuckets[e] = match.bucket();
                enforcedLimits[e] = gcra;
                enforcedAt[e++] = i;
            } else {
                outcomes[i] = local.acquire(new String[] {match.bucket()}, new Gcra[] {gcra}, true, now)[0];
                wouldRefuse |= !outcomes[i].allowed();
            }
        }
        if (enforcedCount > 0) {
            Gcra.Outcome[] taken = local.acquire(enforcedBuckets, enforcedLimits, refusal == null, now);
            for (int e = 0; e < enforcedCount; e++) {
                outcomes[enforcedAt[e]] = taken[e];
                if (refusal == null || refusal.decision().isEmpty()) {
                    if (!taken[e].allowed()) {
                        refusal = worse(
                                refusal,
                                new Refusal(matches.get(enforcedAt[e]), taken[e].retryAfter(), Optional.empty()));
                    }
                }
            }
        }
        addHeaders(request, matches, outcomes, refusal);
        if (wouldRefuse) {
            shadow.incrementAndGet();
        }
        if (refusal == null) {
            return Verdict.PROCEED;
        }
        refused.incrementAndGet();
        if (refusal.decision().isPresent()) {
            refusedGlobally.incrementAndGet();
        }
        request.attribute(RequestDescriptors.REFUSED, "refused");
        String policyId = refusal.match().policyId();
        var body = JsonAnswer.refusal(
                        "rate_limited",
                        refusal.decision()
                                .map(d -> d.getEnvelope().getEvidence().getSummary())
                                .orElse("over this gateway's share of "
                                        + describe(refusal.match().limit()) + " for "
                                        + refusal.match().bucket()))
                .put("bucket", refusal.match().bucket())
                .put("policy", policyId)
                .put("limitedBy", refusal.decision().isPresent() ? "global decision" : "local share");
        refusal.decision().ifPresent(d -> body.put("decisionId", d.getEnvelope().getDecisionId()));
        return Verdict.answer(429, Map.of("Retry-After", Long.toString(seconds(refusal.retryAfter()))), body);
    }

    /** The limits scaled to this gateway's share, made once per limit while the share stays. */
    private record Shares(double share, Map<Limit, Gcra> byLimit) {}

    private volatile Shares shares = new Shares(1.0, new ConcurrentHashMap<>());

    private Gcra shareOf(Limit limit, double share) {
        Shares current = shares;
        if (current.share() != share) {
            current = new Shares(share, new ConcurrentHashMap<>());
            shares = current;
        }
        return current.byLimit().computeIfAbsent(limit, l -> l.gcra().share(share));
    }

    private boolean isEnforced(RateLimitRules.Match match) {
        return mode == Mode.ENFORCE && !match.descriptor().shadow();
    }

    private record Refusal(RateLimitRules.Match match, long retryAfter, Optional<RateLimit> decision) {}

    private static Refusal worse(Refusal a, Refusal b) {
        return a == null || b.retryAfter() > a.retryAfter() ? b : a;
    }

    /** The IETF fields: every policy the request falls under, and what is left of each. */
    private static void addHeaders(
            RequestContext request, List<RateLimitRules.Match> matches, Gcra.Outcome[] outcomes, Refusal refusal) {
        StringBuilder policies = new StringBuilder(48);
        StringBuilder limits = new StringBuilder(48);
        for (int i = 0; i < matches.size(); i++) {
            RateLimitRules.Match match = matches.get(i);
            String id = match.policyId();
            if (seenBefore(matches, i, id)) {
                continue;
            }
            Limit limit = match.limit();
            Gcra.Outcome outcome = outcomes[i];
            boolean refusedHere = refusal != null && refusal.match() == match;
            long remaining = refusedHere || !outcome.allowed() ? 0 : outcome.remaining();
            long reset =
                    refusedHere ? refusal.retryAfter() : outcome.allowed() ? outcome.reset() : outcome.retryAfter();
            String quoted = quoted(id);
            (policies.isEmpty() ? policies : policies.append(", "))
                    .append(quoted)
                    .append(";q=")
                    .append(limit.requestsPerUnit())
                    .append(";w=")
                    .append(limit.windowSeconds());
            (limits.isEmpty() ? limits : limits.append(", "))
                    .append(quoted)
                    .append(";r=")
                    .append(remaining)
                    .append(";t=")
                    .append(seconds(reset));
        }
        request.addResponseHeader("RateLimit-Policy", policies.toString());
        request.addResponseHeader("RateLimit", limits.toString());
    }

    /** Whether a match before the {@code i}th has the same policy id (the first one speaks for it). */
    private static boolean seenBefore(List<RateLimitRules.Match> matches, int i, String id) {
        for (int j = 0; j < i; j++) {
            if (matches.get(j).policyId().equals(id)) {
                return true;
            }
        }
        return false;
    }

    private static String quoted(String id) {
        return id.indexOf('"') < 0 && id.indexOf('\\') < 0
                ? "\"" + id + "\""
                : "\"" + id.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String describe(Limit limit) {
        return limit.requestsPerUnit() + " per " + limit.unit() + " (burst " + limit.burst() + ")";
    }

    /** Whole seconds, rounded up, at least one for a wait. */
    private static long seconds(long nanos) {
        return nanos <= 0 ? 0 : Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of(
                "refused", refused.get(),
                "refusedByGlobalDecision", refusedGlobally.get(),
                "shadow", shadow.get(),
                "failOpen", failOpen.get(),
                "liveGateways", (long) liveGateways.getAsInt(),
                "localBuckets", (long) local.size(),
                "untrackedBuckets", local.untracked());
    }
}
