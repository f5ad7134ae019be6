package io.streamops.workflows.cache.rules;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cache-key template such as {@code /api/products/{id}}: literal text and {@code {column}}
 * placeholders, filled from one row image. A column's value is percent-encoded (RFC 3986's
 * unreserved characters stay), as a client sends it in a path or query string.
 */
public record KeyTemplate(String text, List<String> columns, List<String> literals) {

    public KeyTemplate {
        columns = List.copyOf(columns);
        literals = List.copyOf(literals);
    }

    /** Parses a template; {@code line} names it in the error of a bad one. */
    public static KeyTemplate parse(String text, int line) {
        if (text == null || !text.startsWith("/")) {
            throw new RulesException(line, "a cache key starts with '/', was '" + text + "'");
        }
        List<String> columns = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '}') {
                throw new RulesException(line, "'}' without '{' in '" + text + "'");
            }
            if (c != '{') {
                literal.append(c);
                i++;
                continue;
            }
            int close = text.indexOf('}', i);
            if (close < 0) {
                throw new RulesException(line, "'{' without '}' in '" + text + "'");
            }
            String column = text.substring(i + 1, close).trim();
            if (column.isEmpty() || column.contains("{")) {
                throw new RulesException(line, "a placeholder names a column, as {id}, in '" + text + "'");
            }
            literals.add(literal.toString());
            literal.setLength(0);
            columns.add(column);
            i = close + 1;
        }
        literals.add(literal.toString());
        return new KeyTemplate(text, columns, literals);
    }

    /** The key for one row image; empty when the image lacks a column it names, or has it null. */
    public Optional<String> fill(Map<String, String> row) {
        if (row == null) {
            return Optional.empty();
        }
        StringBuilder key = new StringBuilder(literals.get(0));
        for (int i = 0; i < columns.size(); i++) {
            String value = row.get(columns.get(i));
            if (value == null) {
                return Optional.empty();
            }
            key.append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"))
                    .append(literals.get(i + 1));
        }
        return Optional.of(key.toString());
    }
}
