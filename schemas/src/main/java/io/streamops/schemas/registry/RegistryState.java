package io.streamops.schemas.registry;

import io.streamops.schemas.registry.RegistryChange.CompatibilitySet;
import io.streamops.schemas.registry.RegistryChange.SchemaAdded;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The whole state of a schema registry, rebuilt by applying its log of {@link RegistryChange}s in
 * order. The registry server persists changes to a Kafka topic before applying them; the in-memory
 * test registry applies them directly: both decide the same way. Not thread-safe: owners serialize.
 */
public final class RegistryState {

    private final Map<String, TreeMap<Integer, RegisteredSchema>> subjects = new TreeMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private int maxId;

    public RegistryState(CompatibilityLevel defaultLevel) {
        this.globalLevel = defaultLevel;
    }

    public void apply(RegistryChange change) {
        if (change instanceof SchemaAdded added) {
            Schema schema = parse(added.schema());
            subjects.computeIfAbsent(added.subject(), s -> new TreeMap<>())
                    .put(added.version(), new RegisteredSchema(added.subject(), added.version(), added.id(), schema));
            schemasById.putIfAbsent(added.id(), schema);
            idsByCanonical.putIfAbsent(canonical(schema), added.id());
            maxId = Math.max(maxId, added.id());
        } else if (change instanceof CompatibilitySet set) {
            if (set.subject() == null) {
                globalLevel = set.level();
            } else {
                subjectLevels.put(set.subject(), set.level());
            }
        }
    }

    /**
     * What registering the schema under the subject would change: empty when it is registered
     * already, a new version otherwise.
     *
     * @throws SchemaRegistryException 409 when the schema breaks the subject's compatibility level
     */
    public Optional<SchemaAdded> planRegistration(String subject, Schema schema) {
        if (lookup(subject, schema).isPresent()) {
            return Optional.empty();
        }
        List<String> problems = compatibilityProblems(subject, schema);
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException(
                    409,
                    SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\" ("
                            + level(subject) + "): " + String.join("; ", problems));
        }
        String canonical = canonical(schema);
        int id = idsByCanonical.getOrDefault(canonical, maxId + 1);
        TreeMap<Integer, RegisteredSchema> versions = subjects.get(subject);
        int version = versions == null ? 1 : versions.lastKey() + 1;
        return Optional.of(new SchemaAdded(subject, version, id, canonical));
    }

    public List<String> compatibilityProblems(String subject, Schema schema) {
        TreeMap<Integer, RegisteredSchema> versions = subjects.get(subject);
        if (versions == null) {
            return List.of();
        }
        List<Schema> earlier = new ArrayList<>();
        versions.values().forEach(r -> earlier.add(r.schema()));
        return AvroCompatibility.problems(level(subject), schema, earlier);
    }

    public Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        TreeMap<Integer, RegisteredSchema> versions = subjects.get(subject);
        if (versions == null) {
            return Optional.empty();
        }
        String canonical = canonical(schema);
        return versions.values().stream()
                .filter(r -> canonical(r.schema()).equals(canonical))
                .findFirst();
    }

    public Schema byId(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(
                    404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    public RegisteredSchema version(String subject, int version) {
        RegisteredSchema found = versionsOf(subject).get(version);
        if (found == null) {
            throw new SchemaRegistryException(
                    404,
                    SchemaRegistryException.VERSION_NOT_FOUND,
                    "Version " + version + " not found for subject " + subject);
        }
        return found;
    }

    public RegisteredSchema latest(String subject) {
        return versionsOf(subject).lastEntry().getValue();
    }

    public List<Integer> versions(String subject) {
        return List.copyOf(versionsOf(subject).keySet());
    }

    public List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    public boolean hasSubject(String subject) {
        return subjects.containsKey(subject);
    }

    /** The level in force for a subject: its own, else the global one. */
    public CompatibilityLevel level(String subject) {
        return subject == null ? globalLevel : subjectLevels.getOrDefault(subject, globalLevel);
    }

    /** The subject's own level, if one was set. */
    public Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    public static Schema parse(String schemaJson) {
        try {
            return new Schema.Parser().parse(schemaJson);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(
                    422, SchemaRegistryException.INVALID_SCHEMA, "Invalid schema: " + e.getMessage(), e);
        }
    }

    private static String canonical(Schema schema) {
        return schema.toString();
    }

    private TreeMap<Integer, RegisteredSchema> versionsOf(String subject) {
        TreeMap<Integer, RegisteredSchema> versions = subjects.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(
                    404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return versions;
    }
}
