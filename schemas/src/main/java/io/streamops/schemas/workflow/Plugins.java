package io.streamops.schemas.workflow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;

/**
 * Every implementation of an extension point on the classpath ({@link ServiceLoader}; {@code
 * @AutoService} writes the files it reads), by name, each name once: the one way the platform finds
 * workflows, operators, jobs, gateway extensions and actuators.
 */
public final class Plugins {

    private Plugins() {}

    public static <T> List<T> load(Class<T> type, Function<T, String> name) {
        List<T> found = new ArrayList<>();
        ServiceLoader.load(type, type.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparing(name));
        Set<String> names = new HashSet<>();
        for (T plugin : found) {
            if (!names.add(name.apply(plugin))) {
                throw new IllegalStateException("two " + type.getSimpleName() + "s are named " + name.apply(plugin));
            }
        }
        return List.copyOf(found);
    }
}
