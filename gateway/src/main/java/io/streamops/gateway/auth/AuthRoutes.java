package io.streamops.gateway.auth;

import io.streamops.gateway.auth.AuthService.Client;
import io.streamops.gateway.auth.AuthService.SessionView;
import io.streamops.gateway.auth.AuthState.Session;
import io.streamops.gateway.auth.AuthState.User;
import io.streamops.gateway.auth.jwt.JwtIssuer;
import io.streamops.gateway.http.Bearer;
import io.streamops.gateway.http.JsonAnswer;
import io.streamops.gateway.keys.SigningKeyRing;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Better-Auth's HTTP API under {@code /api/auth}: sign-up/email, sign-in/email, sign-out,
 * get-session, token and jwks, with its JSON shapes, status codes, error bodies, session cookie,
 * bearer tokens ({@code set-auth-token}) and {@code set-auth-jwt}, so that Better-Auth's own client
 * works against the gateway unchanged. Blocking work (hashing, writes) runs off the event loop.
 */
public final class AuthRoutes {

    public static final String BASE = "/api/auth";
    private static final int MAX_BODY = 16 * 1024;
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Vertx vertx;
    private final AuthService auth;
    private final JwtIssuer issuer;
    private final SigningKeyRing keys;
    private final SessionCookies cookies;
    private final OriginCheck origins;
    private final Function<HttpServerRequest, String> clientAddress;
    private final Duration jwksMaxAge;
    private final String cookieName;
    private final String cookieAttributes;

    public AuthRoutes(
            Vertx vertx,
            AuthService auth,
            JwtIssuer issuer,
            SigningKeyRing keys,
            SessionCookies cookies,
            OriginCheck origins,
            Function<HttpServerRequest, String> clientAddress,
            Duration jwksMaxAge,
            boolean secureCookies) {
        // As Better-Auth: on an https base URL the cookie gets the __Secure- prefix and Secure.
        this.cookieName = (secureCookies ? "__Secure-" : "") + SessionCookies.COOKIE;
        this.cookieAttributes = "Path=/; HttpOnly; " + (secureCookies ? "Secure; " : "") + "SameSite=Lax";
        this.vertx = vertx;
        this.auth = auth;
        this.issuer = issuer;
        this.keys = keys;
        this.cookies = cookies;
        this.origins = origins;
        this.clientAddress = clientAddress;
        this.jwksMaxAge = jwksMaxAge;
    }

    public void mount(Router router) {
        router.post(BASE + "/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        router.post(BASE + "/sign-up/email").handler(this::signUp);
        router.post(BASE + "/sign-in/email").handler(this::signIn);
        router.post(BASE + "/sign-out").handler(this::signOut);
        router.get(BASE + "/get-session").handler(this::getSession);
        router.get(BASE + "/token").handler(this::token);
        router.get(BASE + "/jwks").handler(this::jwks);
        // Better-Auth answers unknown paths and wrong methods with an empty 404.
        router.route(BASE + "/*")
                .handler(ctx -> ctx.response().setStatusCode(404).end());
    }

    private void signUp(RoutingContext ctx) {
        Optional<JsonObject> body = credentials(ctx, "name", "email", "password");
        if (body.isEmpty()) {
            return;
        }
        JsonObject b = body.get();
        if (b.containsKey("image") && !(b.getValue("image") instanceof String)) {
            error(
                    ctx,
                    new AuthException(
                            400,
                            "VALIDATION_ERROR",
                            "[body.image] Invalid input: expected string, received "
                                    + (b.getValue("image") == null ? "null" : "non-string")));
            return;
        }
        boolean remember = !Boolean.FALSE.equals(b.getValue("rememberMe"));
        blocking(
                ctx,
                () -> auth.signUp(
                        b.getString("email"),
                        b.getString("password"),
                        b.getString("name"),
                        b.getString("image"),
                        client(ctx),
                        remember),
                signedIn -> {
                    setSession(ctx.response(), signedIn.token(), remember);
                    json(
                            ctx,
                            200,
                            new JsonObject().put("token", signedIn.token()).put("user", user(signedIn.user())));
                });
    }

    private void signIn(RoutingContext ctx) {
        Optional<JsonObject> body = credentials(ctx, "email", "password");
        if (body.isEmpty()) {
            return;
        }
        JsonObject b = body.get();
        if (b.getString("password").length() > 128) {
            error(ctx, new AuthException(400, "PASSWORD_TOO_LONG", "Password too long"));
            return;
        }
        boolean remember = !Boolean.FALSE.equals(b.getValue("rememberMe"));
        String callback = b.getValue("callbackURL") instanceof String url ? url : null;
        if (callback != null && !origins.allowsCallback(callback)) {
            error(ctx, new AuthException(403, "INVALID_CALLBACK_URL", "Invalid callbackURL"));
            return;
        }
        blocking(
                ctx,
                () -> auth.signIn(b.getString("email"), b.getString("password"), client(ctx), remember),
                signedIn -> {
                    setSession(ctx.response(), signedIn.token(), remember);
                    JsonObject answer = new JsonObject().put("redirect", callback != null);
                    if (callback != null) {
                        ctx.response().putHeader("Location", callback);
                    }
                    answer.put("token", signedIn.token());
                    if (callback != null) {
                        answer.put("url", callback);
                    }
                    json(ctx, 200, answer.put("user", user(signedIn.user())));
                });
    }

    private void signOut(RoutingContext ctx) {
        if (refusedByOrigin(ctx, false)) {
            return;
        }
        Optional<String> token = sessionToken(ctx);
        blocking(ctx, () -> token.map(t -> auth.signOut(t, client(ctx))).orElse(false), ended -> {
            expireCookies(ctx.response());
            json(ctx, 200, new JsonObject().put("success", true));
        });
    }

    private void getSession(RoutingContext ctx) {
        ctx.response().putHeader("Cache-Control", "no-store").putHeader("Pragma", "no-cache");
        Optional<String> token = sessionToken(ctx);
        Optional<SessionView> view = token.flatMap(auth::session);
        if (view.isEmpty()) {
            ctx.response()
                    .setStatusCode(200)
                    .putHeader("Content-Type", "application/json")
                    .end("null");
            return;
        }
        ctx.response()
                .putHeader("set-auth-jwt", jwtFor(view.get()))
                .putHeader("Access-Control-Expose-Headers", "set-auth-jwt");
        json(
                ctx,
                200,
                new JsonObject()
                        .put("session", session(view.get().session(), token.get()))
                        .put("user", user(view.get().user())));
    }

    private void token(RoutingContext ctx) {
        Optional<SessionView> view = sessionToken(ctx).flatMap(auth::session);
        if (view.isEmpty()) {
            error(ctx, new AuthException(401, "UNAUTHORIZED", "Unauthorized"));
            return;
        }
        json(ctx, 200, new JsonObject().put("token", jwtFor(view.get())));
    }

    private void jwks(RoutingContext ctx) {
        ctx.response()
                .putHeader("Cache-Control", "public, max-age=" + jwksMaxAge.toSeconds())
                .putHeader("Content-Type", "application/json")
                .end(keys.publicKeys().toString(true));
    }

    /** Better-Auth's JWT payload: the user's fields, sub, and iss/aud/iat/exp; reused while fresh. */
    private String jwtFor(SessionView view) {
        User u = view.user();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("name", u.name());
        claims.put("email", u.email());
        claims.put("emailVerified", u.emailVerified());
        if (u.image() != null) {
            claims.put("image", u.image());
        }
        claims.put("createdAt", u.createdAt().toString());
        claims.put("updatedAt", u.updatedAt().toString());
        claims.put("id", u.id());
        return issuer.issueOrReuse(u.id(), claims);
    }

    /** The session token from the signed cookie, else from a bearer header. */
    private Optional<String> sessionToken(RoutingContext ctx) {
        Optional<String> fromCookie = SessionCookies.cookie(ctx.request().getHeader("Cookie"), cookieName)
                .flatMap(cookies::verify);
        if (fromCookie.isPresent()) {
            return fromCookie;
        }
        return Bearer.credentials(ctx.request()).flatMap(cookies::fromBearer);
    }

    /**
     * The body of a sign-in or sign-up, once its origin is trusted and the required fields are
     * there; otherwise the refusal has been sent and the result is empty.
     */
    private Optional<JsonObject> credentials(RoutingContext ctx, String... required) {
        if (refusedByOrigin(ctx, true)) {
            return Optional.empty();
        }
        Optional<JsonObject> body = body(ctx);
        String invalid = body.map(b -> firstInvalid(b, required)).orElse(null);
        if (invalid != null) {
            error(ctx, new AuthException(400, "VALIDATION_ERROR", invalid));
            return Optional.empty();
        }
        return body;
    }

    private boolean refusedByOrigin(RoutingContext ctx, boolean signInOrUp) {
        Optional<AuthException> refused = origins.check(ctx.request(), signInOrUp);
        refused.ifPresent(e -> error(ctx, e));
        return refused.isPresent();
    }

    private Optional<JsonObject> body(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type != null && type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            // An HTML form: fields are text; rememberMe comes as "true"/"false".
            JsonObject form = new JsonObject();
            ctx.request()
                    .formAttributes()
                    .forEach(e -> form.put(
                            e.getKey(),
                            e.getKey().equals("rememberMe")
                                    ? (Object) Boolean.parseBoolean(e.getValue())
                                    : e.getValue()));
            return Optional.of(form);
        }
        if (type == null || !type.toLowerCase().startsWith("application/json")) {
            error(
                    ctx,
                    new AuthException(
                            415,
                            "UNSUPPORTED_MEDIA_TYPE",
                            "Content-Type \"" + type
                                    + "\" is not allowed. Allowed types: application/x-www-form-urlencoded, application/json"));
            return Optional.empty();
        }
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw new DecodeException("empty");
            }
            return Optional.of(body);
        } catch (DecodeException | ClassCastException e) {
            error(ctx, new AuthException(400, "BAD_REQUEST", "Invalid JSON in request body"));
            return Optional.empty();
        }
    }

    /** Better-Auth's validation message for the first missing or non-string field, or null. */
    private static String firstInvalid(JsonObject body, String... fields) {
        for (String field : fields) {
            Object value = body.getValue(field);
            if (!(value instanceof String s)) {
                return "[body." + field + "] Invalid input: expected string, received "
                        + (value == null ? "undefined" : "non-string");
            }
            if (field.equals("email") && !s.contains("@")) {
                return "[body.email] Invalid email address";
            }
            if (field.equals("password") && s.isEmpty()) {
                return "[body.password] Too small: expected string to have >=1 characters";
            }
        }
        return null;
    }

    private void setSession(HttpServerResponse response, String token, boolean remember) {
        String maxAge = remember ? "Max-Age=" + auth.sessionLifetime(true).toSeconds() + "; " : "";
        response.headers()
                .add("Set-Cookie", cookieName + "=" + cookies.cookieValue(token) + "; " + maxAge + cookieAttributes);
        if (!remember) {
            response.headers()
                    .add(
                            "Set-Cookie",
                            prefixed(SessionCookies.DONT_REMEMBER) + "=" + cookies.cookieValue("true") + "; "
                                    + cookieAttributes);
        }
        response.putHeader("set-auth-token", cookies.sign(token))
                .putHeader("Access-Control-Expose-Headers", "set-auth-token");
    }

    private void expireCookies(HttpServerResponse response) {
        for (String name :
                new String[] {SessionCookies.COOKIE, SessionCookies.SESSION_DATA, SessionCookies.DONT_REMEMBER}) {
            response.headers().add("Set-Cookie", prefixed(name) + "=; Max-Age=0; " + cookieAttributes);
        }
    }

    private String prefixed(String name) {
        return cookieName.startsWith("__Secure-") ? "__Secure-" + name : name;
    }

    private Client client(RoutingContext ctx) {
        String agent = ctx.request().getHeader("User-Agent");
        return new Client(clientAddress.apply(ctx.request()), agent == null ? "" : agent);
    }

    private <T> void blocking(RoutingContext ctx, Callable<T> work, Consumer<T> answer) {
        vertx.executeBlocking(work, false).onComplete(done -> {
            if (done.succeeded()) {
                answer.accept(done.result());
            } else if (done.cause() instanceof AuthException e) {
                error(ctx, e);
            } else {
                error(ctx, new AuthException(500, "INTERNAL_SERVER_ERROR", "internal error"));
            }
        });
    }

    static JsonObject user(User u) {
        JsonObject json =
                new JsonObject().put("name", u.name()).put("email", u.email()).put("emailVerified", u.emailVerified());
        if (u.image() != null) {
            json.put("image", u.image());
        }
        return json.put("createdAt", iso(u.createdAt()))
                .put("updatedAt", iso(u.updatedAt()))
                .put("id", u.id());
    }

    static JsonObject session(Session s, String token) {
        return new JsonObject()
                .put("expiresAt", iso(s.expiresAt()))
                .put("token", token)
                .put("createdAt", iso(s.createdAt()))
                .put("updatedAt", iso(s.updatedAt()))
                .put("ipAddress", s.ipAddress() == null ? "" : s.ipAddress())
                .put("userAgent", s.userAgent() == null ? "" : s.userAgent())
                .put("userId", s.userId())
                .put("id", s.id());
    }

    /** ISO-8601 with milliseconds, as JavaScript's Date serializes. */
    static String iso(Instant instant) {
        return ISO_MILLIS.format(instant);
    }

    static void error(RoutingContext ctx, AuthException e) {
        // Whole seconds, rounded up, as Better-Auth's limiter sends them.
        e.retryAfter()
                .ifPresent(wait ->
                        ctx.response().putHeader("X-Retry-After", Long.toString((wait.toMillis() + 999) / 1000)));
        json(ctx, e.status(), new JsonObject().put("message", e.getMessage()).put("code", e.code()));
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        JsonAnswer.send(ctx.response(), status, body);
    }
}
