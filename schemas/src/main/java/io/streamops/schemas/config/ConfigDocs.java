package io.streamops.schemas.config;

import java.util.List;

/**
 * The configuration tables of the README, written from the declarations: one table per group, one
 * row per key, with its default and what it means. A test fails when the README says otherwise.
 */
public final class ConfigDocs {

    public static final String BEGIN =
            "<!-- configuration tables: generated from the key declarations by `./streamops config`; edit those -->";
    public static final String END = "<!-- end of configuration tables -->";

    private ConfigDocs() {}

    /** The tables, between the markers. */
    public static String markdown(List<ConfigGroup> groups) {
        StringBuilder out = new StringBuilder(BEGIN).append("\n");
        for (ConfigGroup group : groups) {
            out.append("\n**").append(group.title()).append("**\n\n");
            out.append("| key | default | meaning |\n|---|---|---|\n");
            for (ConfigKey<?> key : group.keys()) {
                out.append("| `")
                        .append(key.name())
                        .append("` | ")
                        .append(key.defaultText().map(ConfigDocs::defaultCell).orElse(""))
                        .append(" | ")
                        .append(escape(meaning(key)))
                        .append(" |\n");
            }
        }
        return out.append("\n").append(END).toString();
    }

    /** A value in code font; a description of one ("(embedded)") as it is. */
    private static String defaultCell(String text) {
        return text.isEmpty() ? "" : text.startsWith("(") ? text : "`" + text + "`";
    }

    /** The doc, then the type (but for strings) and the check, in brackets. */
    private static String meaning(ConfigKey<?> key) {
        StringBuilder text = new StringBuilder(key.doc());
        String type = key.type().equals("a string") ? null : key.type();
        String requirement = key.requirement()
                .map(r -> r.replaceFirst("^must not be ", "not ").replaceFirst("^must be ", ""))
                .orElse(null);
        if (type != null || requirement != null) {
            text.append(" (")
                    .append(type == null ? requirement : requirement == null ? type : type + ", " + requirement)
                    .append(")");
        }
        return text.toString();
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
