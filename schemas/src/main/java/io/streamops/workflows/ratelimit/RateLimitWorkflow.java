package io.streamops.workflows.ratelimit;

import com.google.auto.service.AutoService;
import io.streamops.common.DeadLetter;
import io.streamops.common.Mode;
import io.streamops.decisions.RateLimit;
import io.streamops.ratelimit.RateLimitPolicy;
import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.config.ConfigKey;
import io.streamops.schemas.topics.CleanupPolicy;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.Topics;
import io.streamops.schemas.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Workflow 6, global rate limiting: GCRA limits per descriptor, written in the YAML of Envoy's
 * rate-limit service. Every gateway enforces its share of each limit locally, with no network hop on
 * the request path; the request-rate operator sums what all gateways admitted into a global GCRA per
 * bucket and decides a RateLimit for a bucket over its limit, which every gateway applies at once.
 */
@AutoService(Workflow.class)
public final class RateLimitWorkflow implements Workflow {

    public static final String NAME = "ratelimit";
    public static final String OPERATOR = "request-rate";
    static final String PREFIX = "streamops.ratelimit.";

    public static final Topic<String, RateLimit> DECISIONS = Topics.decisions(
            "rate-limits", RateLimit.class, CleanupPolicy.DELETE, "Workflow 6: global limits, keyed by bucket");
    public static final Topic<String, DeadLetter> DEAD_LETTERS = Topics.deadLetters(OPERATOR);
    public static final Topic<String, RateLimitPolicy> POLICIES = Topics.config(
            "rate-limits",
            RateLimitPolicy.class,
            "Workflow 6: the rate-limit policy of each domain (Envoy's YAML), latest per domain");

    public static final ConfigKey<Mode> MODE = ConfigKey.enumValue(
            PREFIX + "mode",
            Mode.class,
            Mode.SHADOW,
            "enforce: requests over a limit get 429; shadow: they are served, and counted and decided as would-have-been-refused "
                    + "(a rule's own shadow_mode: true keeps that rule in shadow either way)");
    public static final ConfigKey<String> POLICY_FILE = ConfigKey.string(
            PREFIX + "policy.file",
            null,
            "a policy YAML the platform applies at start (as ./streamops ratelimit apply does); for the operator in a replay, "
                    + "the policy it replays under instead of the applied ones");
    public static final ConfigKey<Double> LOCAL_HEADROOM = ConfigKey.decimal(
                    PREFIX + "local.headroom",
                    1.0,
                    "each gateway enforces headroom / live gateways of every limit by itself; above 1, a client that sticks "
                            + "to one gateway gets more from it, and the global decision catches the sum")
            .check(h -> h >= 1.0, "must be at least 1");
    public static final ConfigKey<Duration> INSTANCE_TIMEOUT = ConfigKey.duration(
                    PREFIX + "instance.timeout",
                    Duration.ofSeconds(6),
                    "a gateway whose last heartbeat is older no longer counts as live when shares are sized")
            .check(d -> d.compareTo(Duration.ofSeconds(3)) >= 0, "must be at least 3s (gateways beat every second)");

    public static final ConfigKey<Duration> COMMIT_INTERVAL = ConfigKey.duration(
                    PREFIX + "commit.interval",
                    Duration.ofMillis(20),
                    "the request-rate operator's commit interval: under exactly-once a limit reaches the gateways "
                            + "when its transaction commits, and a request's hit takes two (it is repartitioned by "
                            + "bucket), so this bounds how soon every gateway refuses a bucket over its limit")
            .check(d -> !d.isNegative() && !d.isZero(), "must be positive");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "Workflow 6: rate limiting";
    }

    @Override
    public String decides() {
        return "a limit for a bucket (a descriptor's values under a rule) whose requests, summed over every gateway, go over its GCRA";
    }

    @Override
    public List<Topic<?, ?>> topics() {
        return List.of(DECISIONS, DEAD_LETTERS, POLICIES);
    }

    @Override
    public ConfigGroup config() {
        return ConfigGroup.of(
                "Rate limiting (workflow 6)",
                PREFIX,
                MODE,
                POLICY_FILE,
                LOCAL_HEADROOM,
                INSTANCE_TIMEOUT,
                COMMIT_INTERVAL);
    }

    @Override
    public List<Operator> operators() {
        return List.of(new Operator(
                OPERATOR,
                Engine.KAFKA_STREAMS,
                List.of(Topics.REQUESTS, POLICIES),
                List.of(DECISIONS, DEAD_LETTERS),
                Optional.of(DEAD_LETTERS),
                List.of(
                        new StateBound(
                                "request-rate-gcra",
                                "one entry per bucket seen, removed by a punctuator once its TAT and its limit have both lapsed"),
                        new StateBound(
                                "request-rate-policies",
                                "one entry per policy domain (a global store of the config topic)"))));
    }

    @Override
    public List<Applier> appliers() {
        return List.of(new Applier("ratelimit", Where.GATEWAY, DECISIONS, Optional.empty()));
    }
}
