package io.streamops.schemas.testing;

import io.streamops.schemas.registry.CompatibilityLevel;
import io.streamops.schemas.registry.RegisteredSchema;
import io.streamops.schemas.registry.RegistryChange;
import io.streamops.schemas.registry.RegistryState;
import io.streamops.schemas.registry.SchemaRegistryClient;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A registry in memory, for unit tests only. It decides exactly as the registry server does (both
 * apply {@link RegistryState}), but without HTTP or Kafka.
 */
public class InMemorySchemaRegistry implements SchemaRegistryClient {

    private final RegistryState state = new RegistryState(CompatibilityLevel.BACKWARD);

    @Override
    public synchronized int register(String subject, Schema schema) {
        state.planRegistration(subject, schema).ifPresent(state::apply);
        return state.lookup(subject, schema).orElseThrow().id();
    }

    @Override
    public synchronized Schema getById(int id) {
        return state.byId(id);
    }

    @Override
    public synchronized Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        return state.lookup(subject, schema);
    }

    @Override
    public synchronized RegisteredSchema getVersion(String subject, int version) {
        return state.version(subject, version);
    }

    @Override
    public synchronized RegisteredSchema getLatest(String subject) {
        return state.latest(subject);
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        return state.versions(subject);
    }

    @Override
    public synchronized List<String> subjects() {
        return state.subjects();
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return state.compatibilityProblems(subject, schema).isEmpty();
    }

    @Override
    public synchronized CompatibilityLevel compatibility(String subject) {
        return state.level(subject);
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        state.apply(new RegistryChange.CompatibilitySet(subject, level));
    }
}
