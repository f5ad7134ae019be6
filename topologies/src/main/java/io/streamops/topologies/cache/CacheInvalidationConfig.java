package io.streamops.topologies.cache;

import io.streamops.common.PolicyRef;
import io.streamops.schemas.config.ConfigException;
import io.streamops.schemas.config.Settings;
import io.streamops.workflows.cache.CacheWorkflow;
import io.streamops.workflows.cache.rules.CacheRules;
import io.streamops.workflows.cache.rules.CacheRulesParser;
import io.streamops.workflows.cache.rules.RulesException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The cache-invalidation operator's rules, from the rules file, and the policy they are named by in
 * every decision: {@code cache-rules} at a version that is the file's checksum, so a decision says
 * which rules made it. Without a file there are no rules and nothing is invalidated.
 */
public record CacheInvalidationConfig(CacheRules rules, PolicyRef policy) {

    public static CacheInvalidationConfig of(String yaml) {
        CRC32 crc = new CRC32();
        crc.update(yaml.getBytes(StandardCharsets.UTF_8));
        return new CacheInvalidationConfig(
                CacheRulesParser.parse(yaml), new PolicyRef("cache-rules", (int) (crc.getValue() & 0x7fffffff)));
    }

    public static CacheInvalidationConfig from(Settings settings) {
        String file = settings.get(CacheWorkflow.RULES_FILE);
        if (file == null || file.isBlank()) {
            return new CacheInvalidationConfig(new CacheRules(Map.of()), new PolicyRef("cache-rules", 0));
        }
        try {
            return of(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new ConfigException(CacheWorkflow.RULES_FILE + ": cannot read " + file + ": " + e.getMessage());
        } catch (RulesException e) {
            throw new ConfigException(CacheWorkflow.RULES_FILE + ": " + file + ", " + e.getMessage());
        }
    }
}
