package io.streamops.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** Compatibility of a new schema with earlier ones, decided by Avro's own checker. */
public final class AvroCompatibility {

    private AvroCompatibility() {}

    /**
     * What is wrong with {@code candidate} under {@code level}, given the subject's earlier schemas
     * (oldest first); an empty list means compatible.
     */
    public static List<String> problems(CompatibilityLevel level, Schema candidate, List<Schema> earlier) {
        if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
            return List.of();
        }
        List<Schema> against = level.transitive() ? earlier : List.of(earlier.get(earlier.size() - 1));
        List<String> problems = new ArrayList<>();
        for (Schema previous : against) {
            if (level.checksBackward()) {
                // The new schema must read what the previous one wrote.
                describe("BACKWARD", candidate, previous, problems);
            }
            if (level.checksForward()) {
                // The previous schema must read what the new one writes.
                describe("FORWARD", previous, candidate, problems);
            }
        }
        return problems;
    }

    private static void describe(String direction, Schema reader, Schema writer, List<String> problems) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility i : result.getResult().getIncompatibilities()) {
            problems.add(direction + ": " + i.getType() + " at " + i.getLocation() + ": " + i.getMessage());
        }
    }
}
