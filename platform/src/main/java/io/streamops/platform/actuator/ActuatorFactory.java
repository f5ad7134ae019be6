package io.streamops.platform.actuator;

import io.streamops.schemas.workflow.Workflow;
import org.apache.avro.specific.SpecificRecord;

/**
 * An actuator as the platform finds it ({@link java.util.ServiceLoader}; annotate with {@code
 * @AutoService(ActuatorFactory.class)}): the applier its workflow declares, and how to build it.
 *
 * @param <D> the decision type
 */
public interface ActuatorFactory<D extends SpecificRecord> {

    /** The applier as the workflow's descriptor declares it: name, decision topic, outcome topic. */
    Workflow.Applier applier();

    default String name() {
        return applier().name();
    }

    Actuator<D> create(ActuatorContext context) throws Exception;
}
