package org.apache.kafka.common.utils;

/**
 * A bridge for Debezium 3.6.1 on Kafka 4.4: Kafka 4.4 moved this internal class to {@code
 * org.apache.kafka.common.utils.internals} (KAFKA-20297), and Debezium 3.6.1's metrics
 * ({@code io.debezium.metrics.Metrics}, {@code io.debezium.pipeline.JmxUtils}) still call it here,
 * so the PostgreSQL connector's task fails to start with a NoClassDefFoundError. Debezium stops
 * depending on it upstream (debezium/dbz#2555, PR #7951): delete this class with the Debezium
 * release that carries that fix.
 */
public final class Sanitizer {

    private Sanitizer() {}

    public static String sanitize(String name) {
        return org.apache.kafka.common.utils.internals.Sanitizer.sanitize(name);
    }

    public static String desanitize(String name) {
        return org.apache.kafka.common.utils.internals.Sanitizer.desanitize(name);
    }

    public static String jmxSanitize(String name) {
        return org.apache.kafka.common.utils.internals.Sanitizer.jmxSanitize(name);
    }
}
