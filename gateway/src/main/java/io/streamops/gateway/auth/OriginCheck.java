package io.streamops.gateway.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * Better-Auth's CSRF defence, the same way: a state-changing request that carries cookies must come
 * from a trusted origin (Origin, else Referer); sign-in and sign-up are also checked without
 * cookies when the browser says where it comes from (Origin, Referer or Sec-Fetch-*), and a
 * cross-site navigation to them is refused. Bearer-only requests are not checked.
 */
public final class OriginCheck {

    private final Set<String> trustedOrigins;

    public OriginCheck(Set<String> trustedOrigins) {
        this.trustedOrigins = Set.copyOf(trustedOrigins);
    }

    /** The refusal for this request, if any. */
    public Optional<AuthException> check(HttpServerRequest request, boolean signInOrUp) {
        HttpMethod method = request.method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return Optional.empty();
        }
        boolean hasCookie = request.getHeader("Cookie") != null;
        if (hasCookie) {
            return validate(request);
        }
        if (!signInOrUp) {
            return Optional.empty();
        }
        String site = request.getHeader("Sec-Fetch-Site");
        String mode = request.getHeader("Sec-Fetch-Mode");
        if (site != null || mode != null || request.getHeader("Sec-Fetch-Dest") != null) {
            if ("cross-site".equals(site) && "navigate".equals(mode)) {
                return Optional.of(new AuthException(
                        403,
                        "CROSS_SITE_NAVIGATION_LOGIN_BLOCKED",
                        "Cross-site navigation login blocked. This request appears to be a CSRF attack."));
            }
            return validate(request);
        }
        if (request.getHeader("Origin") != null || request.getHeader("Referer") != null) {
            return validate(request);
        }
        return Optional.empty();
    }

    private Optional<AuthException> validate(HttpServerRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null || origin.equals("null")) {
            origin = originOf(request.getHeader("Referer"));
        }
        if (origin == null || origin.equals("null")) {
            return Optional.of(new AuthException(403, "MISSING_OR_NULL_ORIGIN", "Missing or null Origin"));
        }
        return trustedOrigins.contains(origin)
                ? Optional.empty()
                : Optional.of(new AuthException(403, "INVALID_ORIGIN", "Invalid origin"));
    }

    /** Whether a callback URL may be redirected to: relative to this site, or on a trusted origin. */
    public boolean allowsCallback(String url) {
        // Browsers read a backslash as a slash ("/\\evil" is "//evil"); control characters have no place here.
        if (url.chars().anyMatch(c -> c == '\\' || c < 0x20 || c == 0x7f)) {
            return false;
        }
        if (url.startsWith("/") && !url.startsWith("//")) {
            return true;
        }
        String origin = originOf(url);
        return origin != null && trustedOrigins.contains(origin);
    }

    /** scheme://host[:port] of a URL, or null. */
    public static String originOf(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
