package io.streamops.schemas.config;

import java.util.List;

/**
 * The keys of one part of the platform, under one prefix: any other key under that prefix is a typo
 * and fails at start. The README's configuration tables are one table per group.
 *
 * @param title what the table is headed with
 * @param prefix every key under it must be one of {@code keys} (keys of other groups may also live there)
 */
public record ConfigGroup(String title, String prefix, List<ConfigKey<?>> keys) {

    public ConfigGroup {
        keys = List.copyOf(keys);
        if (!prefix.startsWith(Settings.PREFIX) || !prefix.endsWith(".")) {
            throw new IllegalArgumentException(
                    "group prefix " + prefix + " must be under " + Settings.PREFIX + " and end in '.'");
        }
    }

    public static ConfigGroup of(String title, String prefix, ConfigKey<?>... keys) {
        return new ConfigGroup(title, prefix, List.of(keys));
    }
}
