package io.streamops.gateway.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What may be cached, as RFC 9111 has it for a cache in front of its origin: GET and HEAD only; a
 * request's {@code no-store} or {@code Range} bypasses the cache, its {@code no-cache} fetches anew;
 * a response is stored only with a status cacheable by default, no {@code no-store}, {@code
 * no-cache} or {@code Set-Cookie}, a {@code Vary} that is not {@code *}, a body within the limit, and
 * for at most the route's TTL or the response's {@code s-maxage} / {@code max-age}, the smaller. A
 * {@code private} response is stored only for the principal it was fetched for.
 */
final class CachePolicy {

    /** Statuses a cache may store without explicit freshness (RFC 9110 15.1). */
    private static final Set<Integer> CACHEABLE = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);

    /** Hop-by-hop headers (RFC 9110 7.6.1): never stored, never forwarded. */
    static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "content-length");

    private CachePolicy() {}

    /** How a request meets the cache. */
    enum Lookup {
        /** Look it up, and fill it on a miss. */
        USE,
        /** Fetch it anew ({@code no-cache}, {@code max-age=0}) and store what comes back. */
        REFRESH,
        /** Neither read nor store: not GET or HEAD, a range, {@code no-store}. */
        BYPASS
    }

    static Lookup lookup(String method, Function<String, String> header) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Lookup.BYPASS;
        }
        if (header.apply("Range") != null) {
            return Lookup.BYPASS;
        }
        Map<String, String> control = directives(header.apply("Cache-Control"));
        if (control.containsKey("no-store")) {
            return Lookup.BYPASS;
        }
        if (control.containsKey("no-cache") || "0".equals(control.get("max-age"))) {
            return Lookup.REFRESH;
        }
        String pragma = header.apply("Pragma");
        if (control.isEmpty()
                && pragma != null
                && pragma.toLowerCase(Locale.ROOT).contains("no-cache")) {
            return Lookup.REFRESH;
        }
        return Lookup.USE;
    }

    /** Whether and how long a response may be kept: its TTL, or the reason it may not. */
    record Storable(Optional<Duration> ttl, String reason, boolean perPrincipalOnly, List<String> vary) {
        static Storable no(String reason) {
            return new Storable(Optional.empty(), reason, false, List.of());
        }
    }

    static Storable storable(
            int status, List<Map.Entry<String, String>> headers, Duration routeTtl, int bodyBytes, int maxBytes) {
        if (!CACHEABLE.contains(status)) {
            return Storable.no("status " + status);
        }
        if (bodyBytes > maxBytes) {
            return Storable.no("body over " + maxBytes + " bytes");
        }
        if (first(headers, "Set-Cookie") != null) {
            return Storable.no("Set-Cookie");
        }
        Map<String, String> control = directives(all(headers, "Cache-Control"));
        if (control.containsKey("no-store")) {
            return Storable.no("no-store");
        }
        if (control.containsKey("no-cache")) {
            return Storable.no("no-cache");
        }
        List<String> vary = new ArrayList<>();
        for (String name : all(headers, "Vary").split(",")) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            if (trimmed.equals("*")) {
                return Storable.no("Vary: *");
            }
            if (!trimmed.isEmpty() && !vary.contains(trimmed)) {
                vary.add(trimmed);
            }
        }
        Duration ttl = routeTtl;
        String age = control.containsKey("s-maxage") ? control.get("s-maxage") : control.get("max-age");
        if (age != null) {
            long seconds;
            try {
                seconds = Long.parseLong(age.trim());
            } catch (NumberFormatException e) {
                return Storable.no("Cache-Control max-age '" + age + "'");
            }
            if (seconds <= 0) {
                return Storable.no("max-age " + seconds);
            }
            if (Duration.ofSeconds(seconds).compareTo(ttl) < 0) {
                ttl = Duration.ofSeconds(seconds);
            }
        }
        vary.sort(String::compareTo);
        return new Storable(Optional.of(ttl), "", control.containsKey("private"), List.copyOf(vary));
    }

    /** Cache-Control directives, lower-cased, with their values unquoted ("" when they have none). */
    static Map<String, String> directives(String header) {
        Map<String, String> result = new java.util.HashMap<>();
        if (header == null || header.isBlank()) {
            return result;
        }
        for (String part : header.split(",")) {
            String directive = part.trim();
            if (directive.isEmpty()) {
                continue;
            }
            int eq = directive.indexOf('=');
            String name =
                    (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : directive.substring(eq + 1).trim().replace("\"", "");
            result.putIfAbsent(name, value);
        }
        return result;
    }

    private static String first(List<Map.Entry<String, String>> headers, String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** Every value of a header, joined by commas as a list header is. */
    private static String all(List<Map.Entry<String, String>> headers, String name) {
        StringBuilder joined = new StringBuilder();
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                if (joined.length() > 0) {
                    joined.append(',');
                }
                joined.append(h.getValue());
            }
        }
        return joined.toString();
    }
}
