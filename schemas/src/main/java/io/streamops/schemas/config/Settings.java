package io.streamops.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Configuration from a properties file, then the environment, then flags, later ones winning. Keys
 * are lowercase and dotted ({@code streamops.kafka.bootstrap}); the environment spells them in
 * upper case with underscores ({@code STREAMOPS_KAFKA_BOOTSTRAP}); flags are {@code --set key=value}
 * or {@code key=value}. Every module reads its typed config record from here and fails fast on an
 * unknown key or a bad value, naming the key.
 */
public final class Settings {

    public static final String PREFIX = "streamops.";

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(new TreeMap<>(values));
    }

    /**
     * @param file properties file, or null
     * @param environment process environment; only STREAMOPS_* variables are read
     * @param flags key=value pairs from the command line
     */
    public static Settings load(Path file, Map<String, String> environment, List<String> flags) {
        Map<String, String> merged = new TreeMap<>();
        if (file != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
            }
            properties
                    .stringPropertyNames()
                    .forEach(k -> merged.put(k, properties.getProperty(k).trim()));
        }
        environment.forEach((name, value) -> {
            if (name.startsWith("STREAMOPS_")) {
                merged.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        for (String flag : flags) {
            int eq = flag.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("flag '" + flag + "' is not key=value");
            }
            merged.put(flag.substring(0, eq).trim(), flag.substring(eq + 1).trim());
        }
        return new Settings(merged);
    }

    /** These settings with {@code overrides} on top. */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(values);
        merged.putAll(overrides);
        return new Settings(merged);
    }

    /** Fails on any key under {@code prefix} that is not one of {@code known}. */
    public Settings rejectUnknown(String prefix, Collection<String> known) {
        Set<String> knownKeys = Set.copyOf(known);
        List<String> unknown = new ArrayList<>();
        values.keySet().stream()
                .filter(k -> k.startsWith(prefix) && !knownKeys.contains(k))
                .forEach(unknown::add);
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown configuration key(s) " + unknown + "; known under " + prefix + ": "
                    + new TreeSet<>(known));
        }
        return this;
    }

    public String string(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    public String required(String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new ConfigException("missing required configuration key " + key);
        }
        return value;
    }

    public int integer(String key, int defaultValue) {
        return parse(key, defaultValue, Integer::parseInt, "an integer");
    }

    public long longValue(String key, long defaultValue) {
        return parse(key, defaultValue, Long::parseLong, "an integer");
    }

    public boolean bool(String key, boolean defaultValue) {
        return parse(
                key,
                defaultValue,
                v -> switch (v.toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException(v);
                },
                "true or false");
    }

    /** A duration as ISO-8601 (PT10S) or a number with a unit: 250ms, 10s, 5m, 1h, 7d. */
    public Duration duration(String key, Duration defaultValue) {
        return parse(key, defaultValue, Settings::parseDuration, "a duration such as 250ms, 10s, 5m or PT10S");
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        return parse(
                key,
                defaultValue,
                v -> Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT)),
                "one of " + Arrays.toString(type.getEnumConstants()));
    }

    public Map<String, String> asMap() {
        return values;
    }

    static Duration parseDuration(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("p")) {
            try {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(text, e);
            }
        }
        int split = 0;
        while (split < v.length() && Character.isDigit(v.charAt(split))) {
            split++;
        }
        if (split == 0) {
            throw new IllegalArgumentException(text);
        }
        long amount = Long.parseLong(v.substring(0, split));
        return switch (v.substring(split)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException(text);
        };
    }

    private <T> T parse(String key, T defaultValue, Function<String, T> parser, String expected) {
        String raw = values.get(key);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            return parser.apply(raw.trim());
        } catch (RuntimeException e) {
            throw new ConfigException("configuration key " + key + " must be " + expected + ", was '" + raw + "'");
        }
    }
}
