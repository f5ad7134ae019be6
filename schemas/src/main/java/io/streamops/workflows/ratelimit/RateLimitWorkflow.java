package io.streamops.workflows.ratelimit;

import com.google.auto.service.AutoService;
import io.streamops.common.DeadLetter;
import io.streamops.common.Mode;
import io.streamops.decisions.RateLimit;
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
 * Workflow 6, rate limiting: the request-rate operator counts each client's requests in fixed
 * windows and decides a RateLimit for a client over the limit; every gateway instance applies it
 * (ENFORCE) or counts what it would have refused (SHADOW).
 */
@AutoService(Workflow.class)
public final class RateLimitWorkflow implements Workflow {

    public static final String NAME = "ratelimit";
    public static final String OPERATOR = "request-rate";
    static final String PREFIX = "streamops.requestrate.";

    public static final Topic<String, RateLimit> DECISIONS = Topics.decisions(
            "rate-limits", RateLimit.class, CleanupPolicy.DELETE, "Workflow 6: limits, keyed by client key");
    public static final Topic<String, DeadLetter> DEAD_LETTERS = Topics.deadLetters(OPERATOR);

    public static final ConfigKey<Duration> WINDOW = ConfigKey.duration(
                    PREFIX + "window", Duration.ofSeconds(10), "length of the fixed (tumbling) counting window")
            .check(d -> !d.isNegative() && !d.isZero(), "must be positive");
    public static final ConfigKey<Duration> GRACE = ConfigKey.duration(
                    PREFIX + "grace",
                    Duration.ofSeconds(5),
                    "how long after a window ends late requests still count in it")
            .check(d -> !d.isNegative(), "must not be negative");
    public static final ConfigKey<Long> LIMIT = ConfigKey.longValue(
                    PREFIX + "limit", 100, "requests per client per window allowed before a limit is decided")
            .check(n -> n >= 1, "must be at least 1");
    public static final ConfigKey<Mode> MODE = ConfigKey.enumValue(
            PREFIX + "mode",
            Mode.class,
            Mode.SHADOW,
            "enforce: every gateway answers the limited client 429 until the window ends; shadow: decisions are "
                    + "recorded and counted as would-have-applied, nothing is refused");

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
        return "a limit for a client (principal, or address when anonymous) that sent more requests in a window than the policy allows";
    }

    @Override
    public List<Topic<?, ?>> topics() {
        return List.of(DECISIONS, DEAD_LETTERS);
    }

    @Override
    public ConfigGroup config() {
        return ConfigGroup.of(
                "Rate limiting (workflow 6): the request-rate operator", PREFIX, WINDOW, GRACE, LIMIT, MODE);
    }

    @Override
    public List<Operator> operators() {
        return List.of(new Operator(
                OPERATOR,
                Engine.KAFKA_STREAMS,
                List.of(Topics.REQUESTS),
                List.of(DECISIONS, DEAD_LETTERS),
                Optional.of(DEAD_LETTERS),
                List.of(new StateBound(
                        "request-rate-counts", "window store retained for one window plus its grace, then dropped"))));
    }

    @Override
    public List<Applier> appliers() {
        return List.of(new Applier("ratelimit", Where.GATEWAY, DECISIONS, Optional.empty()));
    }
}
