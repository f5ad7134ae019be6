package io.streamops.workflows.ratelimit.policy;

import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * How a descriptor key reads a request, the same in the gateway (from the live request) and in the
 * operator (from its request event): a few keys name what every request has, any other key is a
 * request header (case-insensitive; the gateway records the values its policy reads in the event's
 * attributes, so that the operator and a replay see what the gateway saw).
 */
public final class RequestDescriptors {

    /** The client's address (as the gateway determined it). */
    public static final String REMOTE_ADDRESS = "remote_address";
    /** The name of the route that took the request. */
    public static final String ROUTE = "route";
    /** The verified caller, for requests with a valid JWT. */
    public static final String PRINCIPAL = "principal";
    /** GET, POST, ... */
    public static final String METHOD = "method";
    /** The request path (match prefixes with {@code value: /api/*}). */
    public static final String PATH = "path";

    public static final Set<String> BUILT_IN = Set.of(REMOTE_ADDRESS, ROUTE, PRINCIPAL, METHOD, PATH);

    /** Prefix of the attributes a gateway records header values under in request events. */
    public static final String HEADER_ATTRIBUTE = "header:";

    /** The attribute a gateway sets on a request it refused for a rate limit. */
    public static final String REFUSED = "ratelimit";

    private RequestDescriptors() {}

    /** What a request offers: its built-in values, and its headers by lower-case name. */
    public record Request(
            String remoteAddress,
            String route,
            String principal,
            String method,
            String path,
            Function<String, String> header) {}

    /** The value a descriptor key reads from a request, or null. */
    public static String valueOf(String key, Request request) {
        return switch (key) {
            case REMOTE_ADDRESS -> request.remoteAddress();
            case ROUTE -> request.route();
            case PRINCIPAL -> request.principal();
            case METHOD -> request.method();
            case PATH -> request.path();
            default -> request.header().apply(key.toLowerCase(Locale.ROOT));
        };
    }

    public static boolean isHeader(String key) {
        return !BUILT_IN.contains(key);
    }
}
