package io.streamops.topologies.cache;

import io.streamops.common.Mode;
import io.streamops.common.PolicyRef;
import io.streamops.schemas.config.Settings;
import io.streamops.workflows.cache.CacheWorkflow;
import io.streamops.workflows.cache.TtlAdvice;
import java.time.Duration;
import java.util.List;

/**
 * Config of the cache-ttl operator, read from the keys its workflow declares. The policy's version
 * is derived from its thresholds, so a decision names the thresholds that made it.
 */
public record CacheTtlConfig(Mode mode, TtlAdvice advice, Duration window) {

    public static CacheTtlConfig from(Settings settings) {
        settings.validate(List.of(new CacheWorkflow().config()));
        return new CacheTtlConfig(
                settings.get(CacheWorkflow.TTL_MODE),
                new TtlAdvice(
                        settings.get(CacheWorkflow.TTL_TARGET),
                        settings.get(CacheWorkflow.TTL_MIN_LOOKUPS),
                        settings.get(CacheWorkflow.TTL_MAX)),
                settings.get(CacheWorkflow.TTL_WINDOW));
    }

    public PolicyRef policy() {
        return new PolicyRef("hit-rate-ttl", (advice.toString() + window).hashCode() & 0x7fffffff);
    }
}
