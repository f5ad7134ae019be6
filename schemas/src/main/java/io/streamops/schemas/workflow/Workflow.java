package io.streamops.schemas.workflow;

import io.streamops.common.DeadLetter;
import io.streamops.schemas.config.ConfigGroup;
import io.streamops.schemas.topics.Topic;
import io.streamops.schemas.topics.TopicRole;
import java.util.List;
import java.util.Optional;

/**
 * One workflow, as every part of the platform sees it: its name (the same in every module: its
 * "room"), the topics it owns with their roles, its configuration keys, the operators that decide
 * and what applies their decisions. Found by {@link java.util.ServiceLoader} ({@link Workflows}):
 * adding a workflow adds its descriptor and touches no shared list. The platform starts, the CLI
 * explains and replays, the benchmarks measure and the README documents what the descriptors say.
 */
public interface Workflow {

    /** The room's name: its package in every module (topologies/ratelimit, gateway/ratelimit, ...). */
    String name();

    /** "Workflow 6: rate limiting": the heading of its README section. */
    String title();

    /** What it decides, in one sentence. */
    String decides();

    /** The topics it owns (decisions, dead letters, config, outcomes); shared event inputs are in {@code Topics}. */
    List<Topic<?, ?>> topics();

    /** Its configuration keys. */
    ConfigGroup config();

    /** What decides. */
    List<Operator> operators();

    /** What applies its decisions: gateway filters and views, actuators. A decision nothing applies is not done. */
    List<Applier> appliers();

    /** Where an operator runs. */
    enum Engine {
        KAFKA_STREAMS,
        FLINK,
        /** Inside each gateway instance (signing-key rotation). */
        GATEWAY
    }

    /**
     * An operator: its name (application id, job name, dead-letter topic), where it runs, what it
     * reads and writes, and the bound of every piece of state it keeps.
     */
    record Operator(
            String name,
            Engine engine,
            List<Topic<?, ?>> inputs,
            List<Topic<?, ?>> outputs,
            Optional<Topic<String, DeadLetter>> deadLetters,
            List<StateBound> state) {
        public Operator {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            state = List.copyOf(state);
        }

        /** Its decision topics, among its outputs. */
        public List<Topic<?, ?>> decisions() {
            return outputs.stream().filter(t -> t.role() == TopicRole.DECISION).toList();
        }
    }

    /** A keyed store or state of an operator, by its name, and why it cannot grow without bound. */
    record StateBound(String name, String bound) {}

    /** Where decisions are applied. */
    enum Where {
        /** A filter or view in every gateway instance. */
        GATEWAY,
        /** An actuator: an effect outside the gateway, with an outcome record per decision. */
        ACTUATOR
    }

    /** What applies a decision topic, and (for actuators) where its outcomes go. */
    record Applier(String name, Where where, Topic<?, ?> decisions, Optional<Topic<?, ?>> outcomes) {}
}
