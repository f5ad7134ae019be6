package io.streamops.schemas.topics;

import java.util.List;

/** The README's topics table, written from the declarations (a test fails when it says otherwise). */
public final class TopicDocs {

    public static final String BEGIN =
            "<!-- topics table: generated from the topic declarations by `./streamops topics --markdown` -->";
    public static final String END = "<!-- end of topics table -->";

    private TopicDocs() {}

    public static String markdown(List<Topic<?, ?>> topics) {
        StringBuilder out = new StringBuilder(BEGIN).append("\n\n");
        out.append("| topic | role | value | partitions | cleanup | retention | contents |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (Topic<?, ?> t : topics) {
            out.append("| `")
                    .append(t.name())
                    .append("` | ")
                    .append(t.role().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                    .append(t.ingest() ? ", ingest" : "")
                    .append(" | ")
                    .append(t.value().type().getSimpleName())
                    .append(" | ")
                    .append(t.partitions())
                    .append(" | ")
                    .append(t.cleanup().configValue())
                    .append(" | ")
                    .append(t.retention() == null ? "forever" : t.retention().toDays() + "d")
                    .append(" | ")
                    .append(t.description())
                    .append(" |\n");
        }
        return out.append("\n").append(END).toString();
    }
}
