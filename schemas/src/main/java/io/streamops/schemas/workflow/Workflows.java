package io.streamops.schemas.workflow;

import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** Every workflow on the classpath, found by {@link ServiceLoader}, and what they declare together. */
public final class Workflows {

    private static final List<Workflow> ALL = load();
    private static final Map<String, Topic<?, ?>> TOPICS = index();

    private Workflows() {}

    /** Every workflow, by name. */
    public static List<Workflow> all() {
        return ALL;
    }

    public static Optional<Workflow> byName(String name) {
        return ALL.stream().filter(w -> w.name().equals(name)).findFirst();
    }

    /** Every topic: the shared event topics, then each workflow's own. */
    public static List<Topic<?, ?>> topics() {
        return List.copyOf(TOPICS.values());
    }

    /** The declared topic of that name, if any. */
    public static Optional<Topic<?, ?>> topic(String name) {
        return Optional.ofNullable(TOPICS.get(name));
    }

    /** Every workflow's configuration group. */
    public static List<ConfigGroup> configGroups() {
        return ALL.stream().map(Workflow::config).toList();
    }

    /** Every operator of every workflow that runs on {@code engine}. */
    public static List<Workflow.Operator> operators(Workflow.Engine engine) {
        return ALL.stream()
                .flatMap(w -> w.operators().stream())
                .filter(o -> o.engine() == engine)
                .toList();
    }

    /** The operator of that name, on any engine. */
    public static Optional<Workflow.Operator> operator(String name) {
        return ALL.stream()
                .flatMap(w -> w.operators().stream())
                .filter(o -> o.name().equals(name))
                .findFirst();
    }

    /** The workflow an operator belongs to. */
    public static Optional<Workflow> owning(Workflow.Operator operator) {
        return ALL.stream().filter(w -> w.operators().contains(operator)).findFirst();
    }

    private static List<Workflow> load() {
        return Plugins.load(Workflow.class, Workflow::name);
    }

    private static Map<String, Topic<?, ?>> index() {
        Map<String, Topic<?, ?>> byName = new LinkedHashMap<>();
        List<Topic<?, ?>> all = new ArrayList<>(Topics.SHARED);
        ALL.forEach(w -> all.addAll(w.topics()));
        for (Topic<?, ?> topic : all) {
            if (byName.put(topic.name(), topic) != null) {
                throw new IllegalStateException("topic declared twice: " + topic.name());
            }
        }
        return byName;
    }
}
