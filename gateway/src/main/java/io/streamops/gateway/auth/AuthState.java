package io.streamops.gateway.auth;

import io.streamops.events.AuthEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Users and sessions as the auth-events topic says they are: every gateway instance applies the
 * same events in the same order and so agrees. The first sign-up of an email wins; sessions are
 * found by the hash of their token (tokens themselves never reach the topic). Sign-in attempts are
 * tracked per account and per client address across instances, for throttling (see {@link
 * SignInLedger}). Expired sessions, old failures and stale attempts are pruned, so state is bounded
 * by live users and sessions.
 */
public final class AuthState {

    public record User(
            String id,
            String email,
            String name,
            String image,
            boolean emailVerified,
            String passwordHash,
            Instant createdAt,
            Instant updatedAt) {}

    public record Session(
            String id,
            String tokenHash,
            String userId,
            Instant expiresAt,
            String ipAddress,
            String userAgent,
            Instant createdAt,
            Instant updatedAt) {}

    /** Attribute names of auth events. */
    public static final class Attr {
        public static final String NAME = "name";
        public static final String IMAGE = "image";
        public static final String PASSWORD_HASH = "passwordHash";
        public static final String EMAIL_VERIFIED = "emailVerified";
        public static final String TOKEN_HASH = "tokenHash";
        public static final String EXPIRES_AT = "expiresAt";
        public static final String REASON = "reason";
        /** On the events that resolve a sign-in attempt: the event id of its SIGN_IN_ATTEMPTED. */
        public static final String ATTEMPT = "attempt";

        private Attr() {}
    }

    private final Map<String, User> usersById = new HashMap<>();
    private final Map<String, String> userIdByEmail = new HashMap<>();
    private final Map<String, Session> sessionsByTokenHash = new HashMap<>();
    private final Map<String, String> tokenHashBySessionId = new HashMap<>();
    private final SignInLedger signIns = new SignInLedger();
    private final Duration failureMemory;

    public AuthState(Duration failureMemory) {
        this.failureMemory = failureMemory;
    }

    public static String normalizeEmail(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    /** Applies one event, read at {@code position} of the topic. */
    public synchronized void apply(AuthEvent event, SignInLedger.Position position) {
        Map<String, String> a = event.getAttributes();
        Instant at = event.getOccurredAt();
        switch (event.getType()) {
            case USER_SIGNED_UP -> {
                String email = normalizeEmail(event.getEmail());
                if (email == null || event.getUserId() == null || userIdByEmail.containsKey(email)) {
                    return;
                }
                usersById.put(
                        event.getUserId(),
                        new User(
                                event.getUserId(),
                                email,
                                a.getOrDefault(Attr.NAME, ""),
                                a.get(Attr.IMAGE),
                                Boolean.parseBoolean(a.getOrDefault(Attr.EMAIL_VERIFIED, "false")),
                                a.get(Attr.PASSWORD_HASH),
                                at,
                                at));
                userIdByEmail.put(email, event.getUserId());
            }
            case USER_UPDATED -> {
                User user = usersById.get(event.getUserId());
                if (user != null) {
                    usersById.put(
                            user.id(),
                            new User(
                                    user.id(),
                                    user.email(),
                                    a.getOrDefault(Attr.NAME, user.name()),
                                    a.getOrDefault(Attr.IMAGE, user.image()),
                                    user.emailVerified(),
                                    a.getOrDefault(Attr.PASSWORD_HASH, user.passwordHash()),
                                    user.createdAt(),
                                    at));
                }
            }
            case SIGNED_IN -> {
                String tokenHash = a.get(Attr.TOKEN_HASH);
                if (tokenHash == null || event.getSessionId() == null || !usersById.containsKey(event.getUserId())) {
                    return;
                }
                Session session = new Session(
                        event.getSessionId(),
                        tokenHash,
                        event.getUserId(),
                        Instant.ofEpochMilli(Long.parseLong(a.get(Attr.EXPIRES_AT))),
                        event.getClientAddress(),
                        event.getUserAgent(),
                        at,
                        at);
                sessionsByTokenHash.put(tokenHash, session);
                tokenHashBySessionId.put(session.id(), tokenHash);
                signIns.resolved(a.get(Attr.ATTEMPT));
            }
            case SIGNED_OUT, SESSION_REVOKED -> {
                String tokenHash = tokenHashBySessionId.remove(event.getSessionId());
                if (tokenHash != null) {
                    sessionsByTokenHash.remove(tokenHash);
                }
            }
            case SIGN_IN_ATTEMPTED ->
                signIns.attempted(
                        event.getEventId(), normalizeEmail(event.getEmail()), event.getClientAddress(), at, position);
            case SIGN_IN_FAILED ->
                signIns.failed(a.get(Attr.ATTEMPT), normalizeEmail(event.getEmail()), event.getClientAddress(), at);
            case SIGN_IN_THROTTLED -> signIns.resolved(a.get(Attr.ATTEMPT));
            case TOKEN_ISSUED, UNKNOWN -> {
                // Audit only; or a type newer than this instance, which it has nothing to apply of.
            }
        }
    }

    public synchronized Optional<User> userByEmail(String email) {
        return Optional.ofNullable(userIdByEmail.get(normalizeEmail(email))).map(usersById::get);
    }

    public synchronized Optional<User> user(String id) {
        return Optional.ofNullable(usersById.get(id));
    }

    /** The live session with this token hash. */
    public synchronized Optional<Session> session(String tokenHash, Instant now) {
        Session session = sessionsByTokenHash.get(tokenHash);
        return session != null && now.isBefore(session.expiresAt()) ? Optional.of(session) : Optional.empty();
    }

    /** What counts against an account and an address since {@code since}, as far as this view has read. */
    public synchronized SignInLedger.Counted signIns(String email, String address, Instant since) {
        return signIns.counted(normalizeEmail(email), address, since);
    }

    /**
     * What counts against a sign-in attempt of this view: the failures since {@code since} and the
     * attempts still unresolved that come before it (see {@link SignInLedger#ahead}).
     */
    public synchronized SignInLedger.Counted ahead(String attemptId, Instant since) {
        return signIns.ahead(attemptId, since);
    }

    /** Drops expired sessions and failures older than the failure memory. */
    public synchronized void prune(Instant now) {
        sessionsByTokenHash.values().removeIf(s -> {
            boolean expired = !now.isBefore(s.expiresAt());
            if (expired) {
                tokenHashBySessionId.remove(s.id());
            }
            return expired;
        });
        signIns.prune(now.minus(failureMemory));
    }

    public synchronized int sessionCount() {
        return sessionsByTokenHash.size();
    }

    /** Accounts and addresses with failures or attempts remembered: what pruning bounds. */
    public synchronized int signInKeys() {
        return signIns.keys();
    }
}
