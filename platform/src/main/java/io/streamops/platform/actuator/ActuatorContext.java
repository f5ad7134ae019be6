package io.streamops.platform.actuator;

import io.streamops.schemas.config.Settings;
import io.streamops.schemas.kafka.KafkaClients;
import io.streamops.schemas.serde.TopicBinder;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What an actuator is built from: the settings (its workflow's keys), the data directory, the clock,
 * and the Kafka clients and topics, for an actuator that writes a dead-letter topic of its own.
 */
public record ActuatorContext(Settings settings, Path dataDir, Clock clock, KafkaClients kafka, TopicBinder topics) {}
