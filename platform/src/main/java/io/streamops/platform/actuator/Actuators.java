package io.streamops.platform.actuator;

import io.streamops.schemas.workflow.Plugins;
import java.util.List;
import java.util.ServiceLoader;

/** Every actuator on the classpath, found by {@link ServiceLoader}. */
public final class Actuators {

    private static final List<ActuatorFactory<?>> ALL = load();

    private Actuators() {}

    public static List<ActuatorFactory<?>> all() {
        return ALL;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static List<ActuatorFactory<?>> load() {
        return (List) Plugins.load(ActuatorFactory.class, f -> ((ActuatorFactory<?>) f).name());
    }
}
