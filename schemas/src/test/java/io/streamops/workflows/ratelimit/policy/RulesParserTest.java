package io.streamops.workflows.ratelimit.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a policy file is refused for, and where: as Envoy's rate-limit service refuses it, with the line. */
class RulesParserTest {

    @Test
    void readsEnvoysFormatWithNestingNamesReplacesShadowAndBurst() {
        RateLimitRules rules = RulesParser.parse("""
                domain: messaging
                descriptors:
                  # Only allow 5 marketing messages a day
                  - key: message_type
                    value: marketing
                    descriptors:
                      - key: to_number
                        rate_limit:
                          unit: day
                          requests_per_unit: 5
                  - key: to_number
                    shadow_mode: true
                    rate_limit:
                      name: per-number
                      unit: day
                      requests_per_unit: 100
                      burst: 10
                  - key: ldap
                    rate_limit:
                      unlimited: true
                """);

        assertThat(rules.domain()).isEqualTo("messaging");
        assertThat(rules.descriptors()).hasSize(3);
        Descriptor marketing = rules.descriptors().get(0);
        assertThat(marketing.limit()).isEmpty();
        assertThat(marketing.descriptors().get(0).limit().orElseThrow().burst())
                .as("a unit's worth by default")
                .isEqualTo(5);
        Limit perNumber = rules.descriptors().get(1).limit().orElseThrow();
        assertThat(perNumber.name()).isEqualTo("per-number");
        assertThat(perNumber.burst()).isEqualTo(10);
        assertThat(rules.descriptors().get(1).shadow()).isTrue();
        assertThat(rules.descriptors().get(2).limit().orElseThrow().unlimited()).isTrue();
        assertThat(rules.keys()).containsExactly("message_type", "to_number", "ldap");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("a tab for indentation", "domain: d\ndescriptors:\n\t- key: k\n", 3, "not YAML"),
                Arguments.of("no domain", "descriptors: []\n", 1, "config file cannot have empty domain"),
                Arguments.of(
                        "an unknown key at the root", "domain: d\ndescriptor: []\n", 2, "unknown key 'descriptor'"),
                Arguments.of("a misspelt key in a rate limit", """
                        domain: d
                        descriptors:
                          - key: k
                            rate_limit:
                              unit: second
                              request_per_unit: 5
                        """, 6, "unknown key 'request_per_unit'"),
                Arguments.of("a descriptor without a key", """
                        domain: d
                        descriptors:
                          - value: v
                        """, 3, "descriptor has empty key"),
                Arguments.of("an unknown unit", """
                        domain: d
                        descriptors:
                          - key: k
                            rate_limit:
                              unit: fortnight
                              requests_per_unit: 5
                        """, 5, "invalid rate limit unit 'fortnight'"),
                Arguments.of(
                        "a unit on an unlimited rule", """
                        domain: d
                        descriptors:
                          - key: k
                            rate_limit:
                              unlimited: true
                              unit: second
                        """, 5, "should not specify rate limit unit when unlimited"),
                Arguments.of(
                        "the same key and value twice in one list", """
                        domain: d
                        descriptors:
                          - key: k
                            value: v
                          - key: k
                            value: v
                        """, 5, "duplicate descriptor composite key 'k_v'"),
                Arguments.of(
                        "a rule that replaces itself", """
                        domain: d
                        descriptors:
                          - key: k
                            rate_limit:
                              name: mine
                              replaces:
                                - name: mine
                              unit: second
                              requests_per_unit: 1
                        """, 7, "replaces should not contain name of same descriptor"),
                Arguments.of("a negative rate", """
                        domain: d
                        descriptors:
                          - key: k
                            rate_limit:
                              unit: second
                              requests_per_unit: -1
                        """, 6, "requests_per_unit must be a whole number"),
                Arguments.of("a burst of nothing", """
                        domain: d
                        descriptors:
                          - key: k
                            rate_limit:
                              unit: second
                              requests_per_unit: 1
                              burst: 0
                        """, 7, "burst must be a whole number from 1"),
                Arguments.of("shadow_mode that is not a boolean", """
                        domain: d
                        descriptors:
                          - key: k
                            shadow_mode: sometimes
                        """, 4, "shadow_mode must be true or false"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesABadFileNamingTheLineAndTheReason(String description, String yaml, int line, String reason) {
        assertThatThrownBy(() -> RulesParser.parse(yaml))
                .isInstanceOfSatisfying(
                        RulesException.class, e -> assertThat(e.line()).isEqualTo(line))
                .hasMessageStartingWith("line " + line + ": ")
                .hasMessageContaining(reason);
    }
}
