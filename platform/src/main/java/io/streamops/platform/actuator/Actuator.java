package io.streamops.platform.actuator;

import org.apache.avro.specific.SpecificRecord;

/**
 * Applies a workflow's decisions outside the gateway (an alert, a database, a process, Kubernetes).
 * The {@link ActuatorRunner} gives it each ENFORCE decision whose id it has not applied before and
 * records the outcome; the actuator only makes the effect happen. Where the target can deduplicate
 * (an idempotency key, a name), it passes the decision id on, so that the one redelivery a crash can
 * cause is harmless there too.
 *
 * @param <D> the decision type
 */
public interface Actuator<D extends SpecificRecord> extends AutoCloseable {

    /**
     * Makes the decision's effect happen, blocking until it has.
     *
     * @return what was done, for the outcome record (e.g. where the alert went)
     * @throws Exception when it could not be applied: the outcome says FAILED, with the reason
     */
    String apply(String key, D decision) throws Exception;

    @Override
    default void close() {}
}
