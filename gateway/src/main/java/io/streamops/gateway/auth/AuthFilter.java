package io.streamops.gateway.auth;

import com.nimbusds.jose.JWSObject;
import io.streamops.gateway.RequestContext;
import io.streamops.gateway.auth.jwt.JwtVerifier;
import io.streamops.gateway.auth.jwt.Rejection;
import io.streamops.gateway.auth.jwt.RemoteJwks;
import io.streamops.gateway.auth.jwt.Verification;
import io.streamops.gateway.filter.GatewayFilter;
import io.streamops.gateway.filter.Verdict;
import io.streamops.gateway.http.Bearer;
import io.streamops.gateway.http.JsonAnswer;
import io.vertx.core.Vertx;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Protected routes need {@code Authorization: Bearer <jwt>}: a valid token identifies the caller to
 * the upstream (the identity headers), anything else gets 401 with the reason code. A kid unknown to
 * an external issuer's cached keys triggers one (rate-limited) refetch, off the event loop, before
 * the token is refused.
 */
public final class AuthFilter implements GatewayFilter {

    static final int ORDER = 100;

    private final Vertx vertx;
    private final Optional<JwtVerifier> verifier;
    private final Optional<RemoteJwks> external;
    private final Set<String> protectedRoutes;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param verifier empty when no token verification is configured: protected routes then refuse all
     */
    public AuthFilter(
            Vertx vertx, Optional<JwtVerifier> verifier, Optional<RemoteJwks> external, Set<String> protectedRoutes) {
        this.vertx = vertx;
        this.verifier = verifier;
        this.external = external;
        this.protectedRoutes = Set.copyOf(protectedRoutes);
    }

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public Verdict onRequest(RequestContext request) {
        if (!protectedRoutes.contains(request.route().name())) {
            return Verdict.PROCEED;
        }
        String token = Bearer.credentials(request.header("Authorization")).orElse(null);
        if (verifier.isEmpty()) {
            return admit(
                    request, new Verification.Rejected(Rejection.UNKNOWN_KID, "no token verification is configured"));
        }
        Verification result = verifier.get().verify(token);
        if (result instanceof Verification.Rejected r && r.reason() == Rejection.UNKNOWN_KID && external.isPresent()) {
            String kid = kidOf(token);
            return new Verdict.Later(vertx.executeBlocking(
                            () -> kid != null && external.get().refetchFor(kid), false)
                    .map(refetched -> admit(request, refetched ? verifier.get().verify(token) : result)));
        }
        return admit(request, result);
    }

    private Verdict admit(RequestContext request, Verification result) {
        if (result instanceof Verification.Valid valid) {
            Object email = valid.claims().getClaim("email");
            request.identify(valid.claims().getSubject(), email == null ? null : email.toString(), valid.kid());
            accepted.incrementAndGet();
            return Verdict.PROCEED;
        }
        refused.incrementAndGet();
        Verification.Rejected rejected = (Verification.Rejected) result;
        return Verdict.answer(
                401,
                Map.of(
                        "WWW-Authenticate",
                        "Bearer error=\"invalid_token\", error_description=\""
                                + rejected.reason().code() + "\""),
                JsonAnswer.refusal("unauthorized", rejected.detail())
                        .put("reason", rejected.reason().code()));
    }

    private static String kidOf(String token) {
        try {
            return JWSObject.parse(token).getHeader().getKeyID();
        } catch (ParseException e) {
            return null;
        }
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("accepted", accepted.get(), "refused", refused.get());
    }
}
