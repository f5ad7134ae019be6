package io.streamops.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Configuration from a properties file, then the environment, then flags, later ones winning. Keys
 * are lowercase and dotted ({@code streamops.kafka.bootstrap}); the environment spells them in
 * upper case with underscores ({@code STREAMOPS_KAFKA_BOOTSTRAP}); flags are {@code --set key=value}
 * or {@code key=value}. Keys are declared once as {@link ConfigKey}s and read with {@link #get};
 * {@link #validate} fails fast on an unknown key or a bad value, naming the key.
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

    /** The value of a key, or its default when it is not set. */
    public <T> T get(ConfigKey<T> key) {
        if (key.isFamily()) {
            throw new IllegalArgumentException(key + " is a family of keys: give the name");
        }
        return read(key, key.name());
    }

    /** The value of one key of a family ({@code route.<name>.prefix} for {@code name}), or the default. */
    public <T> T get(ConfigKey<T> family, String name) {
        return read(family, family.forName(name));
    }

    /** The value of a key without a default, if set. */
    public <T> Optional<T> find(ConfigKey<T> key) {
        return Optional.ofNullable(get(key));
    }

    /** The value of a key without a default; fails naming the key when it is not set. */
    public <T> T require(ConfigKey<T> key) {
        T value = get(key);
        if (value == null) {
            throw new ConfigException("missing required configuration key " + key.name());
        }
        return value;
    }

    /**
     * The names that keys of a family are set for: {@code route.<name>.prefix} with {@code
     * route.api.prefix} set gives "api". For a pass-through family ({@code <property>}), the
     * properties set.
     */
    public Set<String> names(ConfigKey<?> family) {
        String name = family.name();
        int open = name.indexOf('<');
        String before = name.substring(0, open);
        String after = name.substring(name.indexOf('>') + 1);
        Set<String> names = new TreeSet<>();
        values.keySet().stream()
                .filter(family::matches)
                .forEach(k -> names.add(k.substring(before.length(), k.length() - after.length())));
        return names;
    }

    /** Property to value for a pass-through family ({@code streamops.kafka.client.<property>}). */
    public Map<String, String> passedThrough(ConfigKey<String> family) {
        Map<String, String> properties = new TreeMap<>();
        names(family).forEach(property -> properties.put(property, values.get(family.forName(property))));
        return properties;
    }

    /**
     * Fails, naming every problem, on a key under a group's prefix that no group declares, and on a
     * declared key set to a value its type or check refuses: what the platform does before it
     * starts anything.
     */
    public Settings validate(Collection<ConfigGroup> groups) {
        List<ConfigKey<?>> known =
                groups.stream().flatMap(g -> g.keys().stream()).toList();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String key = entry.getKey();
            boolean governed = groups.stream().anyMatch(g -> key.startsWith(g.prefix()));
            List<ConfigKey<?>> matching =
                    known.stream().filter(k -> k.matches(key)).toList();
            if (matching.isEmpty()) {
                if (governed) {
                    problems.add("unknown configuration key " + key + nearest(key, known));
                }
                continue;
            }
            for (ConfigKey<?> declared : matching) {
                try {
                    if (!entry.getValue().isBlank()) {
                        declared.parse(key, entry.getValue());
                    }
                } catch (ConfigException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
        return this;
    }

    private static String nearest(String key, List<ConfigKey<?>> known) {
        String parent = key.substring(0, key.lastIndexOf('.') + 1);
        List<String> siblings = known.stream()
                .map(ConfigKey::name)
                .filter(n -> n.startsWith(parent))
                .sorted()
                .toList();
        return siblings.isEmpty() ? "" : " (known under " + parent + ": " + siblings + ")";
    }

    private <T> T read(ConfigKey<T> key, String name) {
        String raw = values.get(name);
        if (raw == null || raw.isBlank()) {
            return key.defaultValue();
        }
        return key.parse(name, raw);
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

    /** The shortest of 250ms, 10s, 5m, 1h, 7d that says it exactly; ISO-8601 otherwise. */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0 || !d.equals(Duration.ofMillis(ms))) {
            return d.toString();
        }
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return d.toString();
    }
}
