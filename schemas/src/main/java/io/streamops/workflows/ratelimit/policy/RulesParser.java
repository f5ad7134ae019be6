package io.streamops.workflows.ratelimit.policy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a policy in the YAML of Envoy's rate-limit service ({@code domain}, {@code descriptors},
 * {@code key}, {@code value}, {@code rate_limit: {unit, requests_per_unit, unlimited, name,
 * replaces}}, {@code shadow_mode}, {@code detailed_metric}) plus {@code burst} in {@code
 * rate_limit}, so that an Envoy user brings their file. It refuses what Envoy's service refuses
 * (unknown keys, a missing domain or key, an unknown unit, a unit with {@code unlimited}, duplicate
 * entries, an empty or self {@code replaces}), naming the line.
 */
public final class RulesParser {

    private static final Set<String> ROOT_KEYS = Set.of("domain", "descriptors");
    private static final Set<String> DESCRIPTOR_KEYS =
            Set.of("key", "value", "rate_limit", "descriptors", "shadow_mode", "detailed_metric");
    private static final Set<String> LIMIT_KEYS =
            Set.of("unit", "requests_per_unit", "unlimited", "name", "replaces", "burst");

    private RulesParser() {}

    public static RateLimitRules parse(String yaml) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new RulesException(line, "not YAML: " + e.getProblem());
        } catch (RuntimeException e) {
            throw new RulesException(1, "not YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new RulesException(1, "the file is empty");
        }
        Map<String, NodeTuple> fields = mapping(root, ROOT_KEYS, "the file");
        String domain = scalar(fields.get("domain"), "domain", line(root));
        if (domain == null || domain.isBlank()) {
            throw new RulesException(line(root), "config file cannot have empty domain");
        }
        List<Descriptor> descriptors = fields.containsKey("descriptors")
                ? descriptors(fields.get("descriptors").getValueNode())
                : List.of();
        return new RateLimitRules(domain, descriptors);
    }

    private static List<Descriptor> descriptors(Node node) {
        if (!(node instanceof SequenceNode list)) {
            throw new RulesException(line(node), "descriptors must be a list");
        }
        List<Descriptor> result = new ArrayList<>();
        Set<String> composite = new HashSet<>();
        for (Node item : list.getValue()) {
            Map<String, NodeTuple> fields = mapping(item, DESCRIPTOR_KEYS, "a descriptor");
            String key = scalar(fields.get("key"), "key", line(item));
            if (key == null || key.isBlank()) {
                throw new RulesException(line(item), "descriptor has empty key");
            }
            String value = scalar(fields.get("value"), "value", line(item));
            if (value != null && value.isEmpty()) {
                value = null;
            }
            if (!composite.add(key + (value == null ? "" : "_" + value))) {
                throw new RulesException(
                        line(item),
                        "duplicate descriptor composite key '" + key + (value == null ? "" : "_" + value) + "'");
            }
            Optional<Limit> limit = fields.containsKey("rate_limit")
                    ? Optional.of(limit(fields.get("rate_limit").getValueNode()))
                    : Optional.empty();
            boolean shadow = bool(fields.get("shadow_mode"), "shadow_mode");
            bool(fields.get("detailed_metric"), "detailed_metric");
            List<Descriptor> nested = fields.containsKey("descriptors")
                    ? descriptors(fields.get("descriptors").getValueNode())
                    : List.of();
            result.add(new Descriptor(key, value, limit, shadow, nested, line(item)));
        }
        return result;
    }

    private static Limit limit(Node node) {
        Map<String, NodeTuple> fields = mapping(node, LIMIT_KEYS, "rate_limit");
        boolean unlimited = bool(fields.get("unlimited"), "unlimited");
        String unitText = scalar(fields.get("unit"), "unit", line(node));
        Optional<Unit> unit = unitText == null ? Optional.empty() : Unit.parse(unitText);
        String name = scalar(fields.get("name"), "name", line(node));
        List<String> replaces = replaces(fields.get("replaces"), name);
        if (unlimited) {
            if (unit.isPresent()) {
                throw new RulesException(line(node), "should not specify rate limit unit when unlimited");
            }
            return new Limit(Unit.SECOND, 0, 1, true, name, replaces);
        }
        if (unit.isEmpty()) {
            throw new RulesException(
                    line(fields.containsKey("unit") ? fields.get("unit").getValueNode() : node),
                    "invalid rate limit unit '" + (unitText == null ? "" : unitText)
                            + "' (one of second, minute, hour, day, week, month, year)");
        }
        long requests = number(fields.get("requests_per_unit"), "requests_per_unit", line(node), 0);
        long burst = fields.containsKey("burst")
                ? number(fields.get("burst"), "burst", line(node), 1)
                : Math.max(1, requests);
        return new Limit(unit.get(), requests, burst, false, name, replaces);
    }

    private static List<String> replaces(NodeTuple tuple, String ownName) {
        if (tuple == null) {
            return List.of();
        }
        if (!(tuple.getValueNode() instanceof SequenceNode list)) {
            throw new RulesException(line(tuple.getValueNode()), "replaces must be a list of {name: ...}");
        }
        List<String> names = new ArrayList<>();
        for (Node item : list.getValue()) {
            Map<String, NodeTuple> fields = mapping(item, Set.of("name"), "a replaces entry");
            String name = scalar(fields.get("name"), "name", line(item));
            if (name == null || name.isBlank()) {
                throw new RulesException(line(item), "should not have an empty replaces entry");
            }
            if (name.equals(ownName)) {
                throw new RulesException(line(item), "replaces should not contain name of same descriptor");
            }
            names.add(name);
        }
        return names;
    }

    private static Map<String, NodeTuple> mapping(Node node, Set<String> known, String what) {
        if (!(node instanceof MappingNode map)) {
            throw new RulesException(line(node), what + " must be a mapping");
        }
        Map<String, NodeTuple> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw new RulesException(line(tuple.getKeyNode()), "config error, key is not of type string");
            }
            if (!known.contains(key.getValue())) {
                throw new RulesException(
                        line(key),
                        "config error, unknown key '" + key.getValue() + "' in " + what + " (known: "
                                + new java.util.TreeSet<>(known) + ")");
            }
            if (fields.put(key.getValue(), tuple) != null) {
                throw new RulesException(line(key), "'" + key.getValue() + "' is given twice");
            }
        }
        return fields;
    }

    private static String scalar(NodeTuple tuple, String what, int line) {
        if (tuple == null) {
            return null;
        }
        if (!(tuple.getValueNode() instanceof ScalarNode value)) {
            throw new RulesException(line(tuple.getValueNode()), what + " must be a single value");
        }
        return value.getValue();
    }

    private static boolean bool(NodeTuple tuple, String what) {
        String text = scalar(tuple, what, 0);
        if (text == null) {
            return false;
        }
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new RulesException(
                        line(tuple.getValueNode()), what + " must be true or false, was '" + text + "'");
        };
    }

    private static long number(NodeTuple tuple, String what, int line, long min) {
        String text = scalar(tuple, what, line);
        if (text == null) {
            throw new RulesException(line, what + " is required");
        }
        try {
            long n = Long.parseLong(text);
            if (n < min || n > 0xFFFF_FFFFL) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new RulesException(
                    line(tuple.getValueNode()),
                    what + " must be a whole number from " + min + " to 4294967295, was '" + text + "'");
        }
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }
}
