package io.streamops.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegistryStateTest {

    private static final Schema V1 = schema("{\"name\":\"id\",\"type\":\"string\"}");
    private static final Schema WITH_OPTIONAL = schema(
            "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}");
    private static final Schema WITH_REQUIRED =
            schema("{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"count\",\"type\":\"int\"}");
    private static final Schema EMPTY = schema("");
    private static final Schema ID_AS_INT = schema("{\"name\":\"id\",\"type\":\"int\"}");

    static Stream<Arguments> evolutions() {
        return Stream.of(
                Arguments.of(
                        "adding an optional field is backward compatible",
                        CompatibilityLevel.BACKWARD,
                        WITH_OPTIONAL,
                        true),
                Arguments.of(
                        "adding a required field is not backward compatible",
                        CompatibilityLevel.BACKWARD,
                        WITH_REQUIRED,
                        false),
                Arguments.of("removing a field is backward compatible", CompatibilityLevel.BACKWARD, EMPTY, true),
                Arguments.of(
                        "removing a required field is not forward compatible",
                        CompatibilityLevel.FORWARD,
                        EMPTY,
                        false),
                Arguments.of(
                        "adding a required field is forward compatible",
                        CompatibilityLevel.FORWARD,
                        WITH_REQUIRED,
                        true),
                Arguments.of(
                        "changing a field's type is not fully compatible", CompatibilityLevel.FULL, ID_AS_INT, false),
                Arguments.of("anything goes under NONE", CompatibilityLevel.NONE, ID_AS_INT, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("evolutions")
    void decidesCompatibilityAsAvroDoes(String description, CompatibilityLevel level, Schema next, boolean accepted) {
        RegistryState state = new RegistryState(level);
        state.apply(state.planRegistration("items-value", V1).orElseThrow());

        if (accepted) {
            RegistryChange.SchemaAdded added =
                    state.planRegistration("items-value", next).orElseThrow();
            assertThat(added.version()).isEqualTo(2);
            assertThat(added.id()).isEqualTo(2);
        } else {
            assertThatThrownBy(() -> state.planRegistration("items-value", next))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.getMessage()).contains("items-value").contains(level.name());
                    });
        }
    }

    @Test
    void registeringTheSameSchemaAgainChangesNothing() {
        RegistryState state = new RegistryState(CompatibilityLevel.BACKWARD);
        state.apply(state.planRegistration("items-value", V1).orElseThrow());

        assertThat(state.planRegistration("items-value", schema("{\"name\":\"id\",\"type\":\"string\"}")))
                .isEmpty();
        assertThat(state.versions("items-value")).containsExactly(1);
    }

    @Test
    void theSameSchemaUnderTwoSubjectsSharesOneId() {
        RegistryState state = new RegistryState(CompatibilityLevel.BACKWARD);
        state.apply(state.planRegistration("a-value", V1).orElseThrow());
        state.apply(state.planRegistration("b-value", WITH_OPTIONAL).orElseThrow());
        state.apply(state.planRegistration("c-value", V1).orElseThrow());

        assertThat(state.latest("c-value").id())
                .isEqualTo(state.latest("a-value").id())
                .isEqualTo(1);
        assertThat(state.latest("b-value").id()).isEqualTo(2);
        assertThat(state.subjects()).containsExactly("a-value", "b-value", "c-value");
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersion() {
        // v1 {id}, v2 {} (id removed), v3 {id:int}: v3 reads v2 but not v1's string id.
        RegistryState state = new RegistryState(CompatibilityLevel.BACKWARD);
        state.apply(state.planRegistration("items-value", V1).orElseThrow());
        state.apply(state.planRegistration("items-value", EMPTY).orElseThrow());
        Schema idAsIntWithDefault = schema("{\"name\":\"id\",\"type\":\"int\",\"default\":0}");

        assertThat(state.compatibilityProblems("items-value", idAsIntWithDefault))
                .isEmpty();
        state.apply(new RegistryChange.CompatibilitySet("items-value", CompatibilityLevel.BACKWARD_TRANSITIVE));
        assertThat(state.compatibilityProblems("items-value", idAsIntWithDefault))
                .isNotEmpty();
    }

    @Test
    void subjectLevelOverridesTheGlobalOne() {
        RegistryState state = new RegistryState(CompatibilityLevel.BACKWARD);
        state.apply(new RegistryChange.CompatibilitySet("items-value", CompatibilityLevel.NONE));

        assertThat(state.level("items-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(state.level("other-value")).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(state.level(null)).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void unknownSubjectsVersionsAndIdsAreNotFound() {
        RegistryState state = new RegistryState(CompatibilityLevel.BACKWARD);
        state.apply(state.planRegistration("items-value", V1).orElseThrow());

        assertThatThrownBy(() -> state.latest("nope")).hasFieldOrPropertyWithValue("errorCode", 40401);
        assertThatThrownBy(() -> state.version("items-value", 7)).hasFieldOrPropertyWithValue("errorCode", 40402);
        assertThatThrownBy(() -> state.byId(99)).hasFieldOrPropertyWithValue("errorCode", 40403);
        assertThatThrownBy(() -> RegistryState.parse("{not json")).hasFieldOrPropertyWithValue("status", 422);
    }

    private static Schema schema(String fields) {
        return new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"Item\",\"namespace\":\"test\",\"fields\":[" + fields + "]}");
    }
}
