package io.streamops.workflows.ratelimit.policy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A rate-limit policy in the layout of Envoy's rate-limit service: a domain and its descriptor
 * lists ({@link RulesParser} reads the YAML). Unlike Envoy's service, which is handed descriptors
 * by the proxy, the gateway derives them from the request itself: every path through the lists whose
 * keys the request has a value for is a descriptor, matched at each level as Envoy matches
 * (the exact value first, then a {@code prefix*} value, then the key alone), and every matched
 * entry with a limit is a bucket of its own, per value. All of them apply.
 *
 * <p>Matching runs on every request: the lists are grouped by key once, here, and a match allocates
 * little more than its bucket id.
 */
public final class RateLimitRules {

    private final String domain;
    private final List<Descriptor> descriptors;
    private final List<Group> root;
    private final Set<String> keys;
    private final List<String> headerKeys;
    private final boolean replacing;

    /** The entries of one level with the same key, in file order, with what their matches share. */
    private record Group(String key, List<Node> candidates) {}

    /** An entry, with its nested groups and what the IETF fields call its limit. */
    private record Node(Descriptor descriptor, List<Group> children, String policyId) {}

    public RateLimitRules(String domain, List<Descriptor> descriptors) {
        this.domain = domain;
        this.descriptors = List.copyOf(descriptors);
        this.root = groups(this.descriptors, "");
        Set<String> all = new LinkedHashSet<>();
        collectKeys(this.descriptors, all);
        this.keys = java.util.Collections.unmodifiableSet(all);
        this.headerKeys = all.stream()
                .filter(RequestDescriptors::isHeader)
                .map(k -> k.toLowerCase(Locale.ROOT))
                .distinct()
                .toList();
        Set<String> replaces = new HashSet<>();
        collectReplaces(this.descriptors, replaces);
        this.replacing = !replaces.isEmpty();
    }

    public String domain() {
        return domain;
    }

    public List<Descriptor> descriptors() {
        return descriptors;
    }

    /**
     * A limit a request falls under: its bucket (one per domain, path and values), the path's keys and
     * values, the entry, and what the IETF fields call it (the rule's name, or the path's keys).
     */
    public record Match(String bucket, String[] keys, String[] values, Descriptor descriptor, String policyId) {

        public Limit limit() {
            return descriptor.limit().orElseThrow();
        }

        /** The descriptor, entry by entry. */
        public List<Map.Entry<String, String>> path() {
            List<Map.Entry<String, String>> path = new ArrayList<>(keys.length);
            for (int i = 0; i < keys.length; i++) {
                path.add(new AbstractMap.SimpleImmutableEntry<>(keys[i], values[i]));
            }
            return path;
        }
    }

    /**
     * The limits a request falls under, given how to read a descriptor key's value of it (null when
     * it has none), with Envoy's {@code replaces} applied.
     */
    public List<Match> match(Function<String, String> valueOf) {
        List<Match> found = new ArrayList<>(4);
        walk(root, new String[0], new String[0], valueOf, found);
        if (!replacing) {
            return found;
        }
        Set<String> replaced = new HashSet<>();
        found.forEach(m -> replaced.addAll(m.limit().replaces()));
        return found.stream()
                .filter(m ->
                        m.limit().name() == null || !replaced.contains(m.limit().name()))
                .toList();
    }

    /** Every descriptor key the rules read, at any level. */
    public Set<String> keys() {
        return keys;
    }

    /** The keys that are request headers, lower-cased: what a gateway records of each request. */
    public List<String> headerKeys() {
        return headerKeys;
    }

    private void walk(
            List<Group> level, String[] keys, String[] values, Function<String, String> valueOf, List<Match> found) {
        for (Group group : level) {
            String value = valueOf.apply(group.key());
            if (value == null) {
                continue;
            }
            Node chosen = choose(group.candidates(), value);
            if (chosen == null) {
                continue;
            }
            String[] hereKeys = append(keys, group.key());
            String[] hereValues = append(values, value);
            Descriptor d = chosen.descriptor();
            if (d.limit().isPresent() && !d.limit().get().unlimited()) {
                found.add(new Match(bucket(hereKeys, hereValues), hereKeys, hereValues, d, chosen.policyId()));
            }
            if (!chosen.children().isEmpty()) {
                walk(chosen.children(), hereKeys, hereValues, valueOf, found);
            }
        }
    }

    private static String[] append(String[] to, String one) {
        String[] longer = java.util.Arrays.copyOf(to, to.length + 1);
        longer[to.length] = one;
        return longer;
    }

    private static Node choose(List<Node> candidates, String value) {
        for (Node n : candidates) {
            if (n.descriptor().matchesExactly(value)) {
                return n;
            }
        }
        for (Node n : candidates) {
            if (n.descriptor().matchesPrefix(value)) {
                return n;
            }
        }
        for (Node n : candidates) {
            if (n.descriptor().matchesAny()) {
                return n;
            }
        }
        return null;
    }

    private static List<Group> groups(List<Descriptor> level, String parentKeys) {
        Map<String, List<Node>> byKey = new LinkedHashMap<>();
        for (Descriptor d : level) {
            String path = parentKeys.isEmpty() ? d.key() : parentKeys + "." + d.key();
            String policyId = d.limit().map(Limit::name).orElse(null);
            byKey.computeIfAbsent(d.key(), k -> new ArrayList<>())
                    .add(new Node(d, groups(d.descriptors(), path), policyId != null ? policyId : path));
        }
        List<Group> groups = new ArrayList<>();
        byKey.forEach((key, nodes) -> groups.add(new Group(key, List.copyOf(nodes))));
        return List.copyOf(groups);
    }

    /** {@code domain|key=value|key=value}, values escaped so that a bucket id has one reading. */
    private String bucket(String[] keys, String[] values) {
        StringBuilder id = new StringBuilder(domain.length() + 32);
        id.append(domain);
        for (int i = 0; i < keys.length; i++) {
            id.append('|').append(keys[i]).append('=').append(escape(values[i]));
        }
        return id.toString();
    }

    /** As {@link URLEncoder} encodes it, without its cost for the usual value that needs nothing. */
    private static String escape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '-'
                    || c == '*'
                    || c == '_';
            if (!plain) {
                return URLEncoder.encode(value, StandardCharsets.UTF_8);
            }
        }
        return value;
    }

    private static void collectKeys(List<Descriptor> level, Set<String> keys) {
        level.forEach(d -> {
            keys.add(d.key());
            collectKeys(d.descriptors(), keys);
        });
    }

    private static void collectReplaces(List<Descriptor> level, Set<String> replaces) {
        level.forEach(d -> {
            d.limit().ifPresent(l -> replaces.addAll(l.replaces()));
            collectReplaces(d.descriptors(), replaces);
        });
    }
}
