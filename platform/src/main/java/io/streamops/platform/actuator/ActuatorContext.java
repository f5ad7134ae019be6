package io.streamops.platform.actuator;

import io.streamops.schemas.config.Settings;
import java.nio.file.Path;
import java.time.Clock;

/** What an actuator is built from: the settings (its workflow's keys), the data directory and the clock. */
public record ActuatorContext(Settings settings, Path dataDir, Clock clock) {}
