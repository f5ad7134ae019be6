package io.streamops.topologies.ratelimit;

import io.streamops.common.Mode;
import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.Settings;
import io.streamops.workflows.ratelimit.RateLimitWorkflow;
import io.streamops.workflows.ratelimit.policy.RateLimitRules;
import io.streamops.workflows.ratelimit.policy.RulesException;
import io.streamops.workflows.ratelimit.policy.RulesParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Config of the request-rate operator, read from the keys its workflow declares.
 *
 * @param mode ENFORCE to have the gateways apply the limits decided, SHADOW to only record them
 * @param fixedPolicy a policy to decide under instead of those applied to the config topic (a
 *     replay of a new YAML over history)
 */
public record RequestRateConfig(Mode mode, Optional<RateLimitRules> fixedPolicy) {

    public static RequestRateConfig from(Settings settings) {
        settings.validate(List.of(new RateLimitWorkflow().config()));
        Optional<RateLimitRules> fixed =
                settings.find(RateLimitWorkflow.POLICY_FILE).map(RequestRateConfig::read);
        return new RequestRateConfig(settings.get(RateLimitWorkflow.MODE), fixed);
    }

    /** Reads and parses a policy file; a bad one fails naming the file and the line. */
    public static RateLimitRules read(String file) {
        try {
            return RulesParser.parse(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new ConfigException("cannot read the rate-limit policy " + file + ": " + e.getMessage());
        } catch (RulesException e) {
            throw new ConfigException("rate-limit policy " + file + ", " + e.getMessage());
        }
    }
}
