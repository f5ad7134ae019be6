package io.streamops.workflows.cache.rules;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Reads cache rules:
 *
 * <pre>
 * tables:
 *   public.products:                       # schema.table; a bare name is in schema public
 *     keys: [/api/products/{id}]           # exact keys
 *     prefixes: [/api/products?category={category}]
 *   orders: [/api/orders/{id}]             # a list alone: exact keys
 * </pre>
 *
 * Unknown fields, a table named twice, a bad template or an empty rule are refused, naming the line.
 */
public final class CacheRulesParser {

    private static final Set<String> ROOT_KEYS = Set.of("tables");
    private static final Set<String> TABLE_KEYS = Set.of("keys", "prefixes");

    private CacheRulesParser() {}

    public static CacheRules parse(String yaml) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            String hint = e.getProblem() != null && e.getProblem().contains("{")
                    ? " (in a [...] list, quote a template that has a {column}: ['/api/products/{id}'])"
                    : "";
            throw new RulesException(line, "not YAML: " + e.getProblem() + hint);
        } catch (RuntimeException e) {
            throw new RulesException(1, "not YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new RulesException(1, "the file is empty");
        }
        Map<String, NodeTuple> fields = mapping(root, ROOT_KEYS, "the file");
        NodeTuple tables = fields.get("tables");
        if (tables == null || !(tables.getValueNode() instanceof MappingNode byTable)) {
            throw new RulesException(line(root), "tables must map each schema.table to its cache keys");
        }
        Map<String, CacheRules.TableRule> rules = new LinkedHashMap<>();
        for (NodeTuple entry : byTable.getValue()) {
            int line = line(entry.getKeyNode());
            String name = text(entry.getKeyNode(), "a table name");
            String table = name.contains(".") ? name : "public." + name;
            if (rules.containsKey(table)) {
                throw new RulesException(line, "table " + table + " is named twice");
            }
            rules.put(table, rule(table, entry.getValueNode()));
        }
        if (rules.isEmpty()) {
            throw new RulesException(line(root), "no tables");
        }
        return new CacheRules(rules);
    }

    private static CacheRules.TableRule rule(String table, Node node) {
        List<KeyTemplate> keys;
        List<KeyTemplate> prefixes = List.of();
        if (node instanceof SequenceNode) {
            keys = templates(node, table + "'s keys");
        } else {
            Map<String, NodeTuple> fields = mapping(node, TABLE_KEYS, "table " + table);
            keys = fields.containsKey("keys")
                    ? templates(fields.get("keys").getValueNode(), table + "'s keys")
                    : List.of();
            prefixes = fields.containsKey("prefixes")
                    ? templates(fields.get("prefixes").getValueNode(), table + "'s prefixes")
                    : List.of();
        }
        if (keys.isEmpty() && prefixes.isEmpty()) {
            throw new RulesException(line(node), "table " + table + " has no keys and no prefixes");
        }
        return new CacheRules.TableRule(keys, prefixes);
    }

    private static List<KeyTemplate> templates(Node node, String what) {
        if (node instanceof ScalarNode) {
            return List.of(KeyTemplate.parse(text(node, what), line(node)));
        }
        if (!(node instanceof SequenceNode list)) {
            throw new RulesException(line(node), what + " must be a list of templates");
        }
        List<KeyTemplate> result = new ArrayList<>();
        for (Node item : list.getValue()) {
            result.add(KeyTemplate.parse(text(item, what), line(item)));
        }
        return result;
    }

    private static Map<String, NodeTuple> mapping(Node node, Set<String> known, String what) {
        if (!(node instanceof MappingNode map)) {
            throw new RulesException(line(node), what + " must be a mapping");
        }
        Map<String, NodeTuple> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            String key = text(tuple.getKeyNode(), "a field name");
            if (!known.contains(key)) {
                throw new RulesException(
                        line(tuple.getKeyNode()), "unknown field '" + key + "' in " + what + ", known: " + known);
            }
            if (fields.put(key, tuple) != null) {
                throw new RulesException(line(tuple.getKeyNode()), "field '" + key + "' given twice in " + what);
            }
        }
        return fields;
    }

    private static String text(Node node, String what) {
        if (!(node instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
            throw new RulesException(line(node), what + " must be a non-empty string");
        }
        return scalar.getValue().trim();
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }
}
