package io.streamops.workflows.keys;

import com.google.auto.service.AutoService;
import io.streamops.decisions.SigningKey;
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
 * Workflow 9, JWT signing-key rotation: each gateway instance publishes the next signing key ahead
 * of its use, as a decision on a compacted topic; every instance signs with the current one and
 * verifies with every key whose tokens can still be alive.
 */
@AutoService(Workflow.class)
public final class KeysWorkflow implements Workflow {

    public static final String NAME = "keys";
    public static final String OPERATOR = "key-rotation";
    static final String PREFIX = "streamops.gateway.auth.rotation.";

    public static final Topic<String, SigningKey> SIGNING_KEYS = Topics.decisions(
            "signing-keys", SigningKey.class, CleanupPolicy.COMPACT, "Workflow 9: JWT signing keys, latest per kid");

    public static final ConfigKey<Duration> INTERVAL = ConfigKey.duration(
                    PREFIX + "interval", Duration.ofHours(6), "how long each signing key signs")
            .check(d -> !d.isNegative() && !d.isZero(), "must be positive");
    public static final ConfigKey<Duration> LEAD = ConfigKey.duration(
                    PREFIX + "lead", Duration.ofMinutes(5), "how long before it takes over a new key is published")
            .check(d -> !d.isNegative() && !d.isZero(), "must be positive");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "Workflow 9: JWT key rotation";
    }

    @Override
    public String decides() {
        return "the next signing key and when it takes over";
    }

    @Override
    public List<Topic<?, ?>> topics() {
        return List.of(SIGNING_KEYS);
    }

    @Override
    public ConfigGroup config() {
        return ConfigGroup.of("JWT key rotation (workflow 9)", PREFIX, INTERVAL, LEAD);
    }

    @Override
    public List<Operator> operators() {
        return List.of(new Operator(
                OPERATOR,
                Engine.GATEWAY,
                List.of(),
                List.of(SIGNING_KEYS),
                Optional.empty(),
                List.of(new StateBound(
                        "signing-key ring", "keys are dropped once the longest token they signed has expired"))));
    }

    @Override
    public List<Applier> appliers() {
        return List.of(new Applier("signing-key-ring", Where.GATEWAY, SIGNING_KEYS, Optional.empty()));
    }
}
