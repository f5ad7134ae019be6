package io.streamops.schemas.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One configuration key, declared once: its name, type, default, documentation and check. Code
 * reads it with {@link Settings#get}; validation before start and the README's configuration tables
 * come from the same declaration (as the Flink autoscaler's {@code AutoScalerOptions} do).
 *
 * <p>A name may hold one {@code <placeholder>} (e.g. {@code streamops.gateway.route.<name>.prefix}):
 * it then stands for a family of keys, read with {@link Settings#get(ConfigKey, String)}. A name
 * ({@code <name>}) is letters, digits, '-' and '_'; {@code <topic>} and {@code <property>} may
 * hold dots. A key ending in {@code <property>} passes any property through to a client library.
 *
 * @param <T> the type of its value
 */
public final class ConfigKey<T> {

    private static final Pattern PLACEHOLDER = Pattern.compile("<[a-z]+>");

    private final String name;
    private final String type;
    private final Function<String, T> parser;
    private final T defaultValue;
    private final String defaultText;
    private final String doc;
    private final Predicate<T> check;
    private final String requirement;
    private final boolean secret;
    private final Pattern pattern;

    private ConfigKey(
            String name,
            String type,
            Function<String, T> parser,
            T defaultValue,
            String defaultText,
            String doc,
            Predicate<T> check,
            String requirement,
            boolean secret) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = type;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.doc = Objects.requireNonNull(doc, "doc of " + name);
        this.check = check;
        this.requirement = requirement;
        this.secret = secret;
        if (!name.startsWith(Settings.PREFIX)) {
            throw new IllegalArgumentException("configuration key " + name + " is not under " + Settings.PREFIX);
        }
        var placeholders = PLACEHOLDER.matcher(name).results().toList();
        if (placeholders.size() > 1) {
            throw new IllegalArgumentException("configuration key " + name + " has more than one placeholder");
        }
        this.pattern = placeholders.isEmpty()
                ? null
                : Pattern.compile(Pattern.quote(
                                name.substring(0, placeholders.get(0).start()))
                        + (List.of("<property>", "<topic>")
                                        .contains(placeholders.get(0).group())
                                ? ".+"
                                : "[A-Za-z0-9_-]+")
                        + Pattern.quote(name.substring(placeholders.get(0).end())));
    }

    public static ConfigKey<String> string(String name, String defaultValue, String doc) {
        return new ConfigKey<>(
                name, "a string", Function.identity(), defaultValue, defaultValue, doc, v -> true, null, false);
    }

    public static ConfigKey<Integer> integer(String name, int defaultValue, String doc) {
        return new ConfigKey<>(
                name,
                "an integer",
                Integer::parseInt,
                defaultValue,
                Integer.toString(defaultValue),
                doc,
                v -> true,
                null,
                false);
    }

    public static ConfigKey<Long> longValue(String name, long defaultValue, String doc) {
        return new ConfigKey<>(
                name,
                "an integer",
                Long::parseLong,
                defaultValue,
                Long.toString(defaultValue),
                doc,
                v -> true,
                null,
                false);
    }

    public static ConfigKey<Double> decimal(String name, double defaultValue, String doc) {
        return new ConfigKey<>(
                name,
                "a number",
                Double::parseDouble,
                defaultValue,
                Double.toString(defaultValue),
                doc,
                v -> true,
                null,
                false);
    }

    public static ConfigKey<Boolean> bool(String name, boolean defaultValue, String doc) {
        return new ConfigKey<>(
                name,
                "true or false",
                ConfigKey::parseBoolean,
                defaultValue,
                Boolean.toString(defaultValue),
                doc,
                v -> true,
                null,
                false);
    }

    /** A duration: ISO-8601 ({@code PT10S}) or a number with a unit: 250ms, 10s, 5m, 1h, 7d. */
    public static ConfigKey<Duration> duration(String name, Duration defaultValue, String doc) {
        return new ConfigKey<>(
                name,
                "a duration such as 250ms, 10s, 5m or PT10S",
                Settings::parseDuration,
                defaultValue,
                defaultValue == null ? null : Settings.formatDuration(defaultValue),
                doc,
                v -> true,
                null,
                false);
    }

    public static <E extends Enum<E>> ConfigKey<E> enumValue(String name, Class<E> type, E defaultValue, String doc) {
        return new ConfigKey<>(
                name,
                "one of "
                        + Arrays.stream(type.getEnumConstants())
                                .map(e -> e.name().toLowerCase(Locale.ROOT))
                                .toList(),
                v -> Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT)),
                defaultValue,
                defaultValue == null ? null : defaultValue.name().toLowerCase(Locale.ROOT),
                doc,
                v -> true,
                null,
                false);
    }

    /** An absolute URI (http, https, ...). */
    public static ConfigKey<URI> uri(String name, String doc) {
        return new ConfigKey<>(
                name,
                "an absolute URL",
                v -> {
                    URI uri = URI.create(v);
                    if (!uri.isAbsolute()) {
                        throw new IllegalArgumentException(v);
                    }
                    return uri;
                },
                null,
                null,
                doc,
                v -> true,
                null,
                false);
    }

    /** A comma-separated list. */
    public static ConfigKey<List<String>> list(String name, String defaultValue, String doc) {
        Function<String, List<String>> parse = v -> Arrays.stream(v.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        return new ConfigKey<>(
                name,
                "a comma-separated list",
                parse,
                defaultValue == null ? List.of() : parse.apply(defaultValue),
                defaultValue,
                doc,
                v -> true,
                null,
                false);
    }

    /** Any property of a client library, passed through: the name ends in {@code <property>}. */
    public static ConfigKey<String> passThrough(String name, String doc) {
        if (!name.endsWith("<property>")) {
            throw new IllegalArgumentException(name + " must end in <property>");
        }
        return new ConfigKey<>(name, "a string", Function.identity(), null, null, doc, v -> true, null, false);
    }

    /** The same key, refusing values that fail {@code check}; {@code requirement} says what it wants ("must be positive"). */
    public ConfigKey<T> check(Predicate<T> check, String requirement) {
        return new ConfigKey<>(
                name, type, parser, defaultValue, defaultText, doc, this.check.and(check), requirement, secret);
    }

    /** The same key, its default described in words (e.g. "(embedded)") where it has no fixed value. */
    public ConfigKey<T> defaultDoc(String text) {
        return new ConfigKey<>(name, type, parser, defaultValue, text, doc, check, requirement, secret);
    }

    /** The same key, its value never printed. */
    public ConfigKey<T> secret() {
        return new ConfigKey<>(name, type, parser, defaultValue, defaultText, doc, check, requirement, true);
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    public String doc() {
        return doc;
    }

    public Optional<String> requirement() {
        return Optional.ofNullable(requirement);
    }

    /** The default as documented, or empty when there is none. */
    public Optional<String> defaultText() {
        return Optional.ofNullable(defaultText);
    }

    public T defaultValue() {
        return defaultValue;
    }

    public boolean isSecret() {
        return secret;
    }

    public boolean isFamily() {
        return pattern != null;
    }

    /** Whether {@code key} is this key, or one of its family. */
    public boolean matches(String key) {
        return pattern == null ? name.equals(key) : pattern.matcher(key).matches();
    }

    /** The key of this family for one placeholder value: {@code route.<name>.prefix} and "api" give {@code route.api.prefix}. */
    public String forName(String value) {
        if (pattern == null) {
            throw new IllegalStateException(name + " is not a family of keys");
        }
        return PLACEHOLDER.matcher(name).replaceFirst(value);
    }

    /** Parses and checks a value given for {@code key} (this key or one of its family). */
    T parse(String key, String raw) {
        T value;
        try {
            value = parser.apply(raw.trim());
        } catch (RuntimeException e) {
            throw new ConfigException(
                    "configuration key " + key + " must be " + type + ", was '" + (secret ? "(secret)" : raw) + "'");
        }
        if (!check.test(value)) {
            throw new ConfigException(
                    "configuration key " + key + " " + requirement + ", was '" + (secret ? "(secret)" : raw) + "'");
        }
        return value;
    }

    private static boolean parseBoolean(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(v);
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
