package io.streamops.gateway.auth;

import io.streamops.events.AuthEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Users and sessions as the auth-events topic says they are: every gateway instance applies the
 * same events in the same order and so agrees. The first sign-up of an email wins; sessions are
 * found by the hash of their token (tokens themselves never reach the topic). Failed sign-ins are
 * counted per account and per client address across instances, for throttling. Expired sessions
 * and old failures are pruned, so state is bounded by live users and sessions.
 */
public final class AuthState {

    public record User(String id, String email, String name, String image, boolean emailVerified, String passwordHash,
            Instant createdAt, Instant updatedAt) {}

    public record Session(String id, String tokenHash, String userId, Instant expiresAt, String ipAddress,
            String userAgent, Instant createdAt, Instant updatedAt) {}

    /** Attribute names of auth events. */
    public static final class Attr {
        public static final String NAME = "name";
        public static final String IMAGE = "image";
        public static final String PASSWORD_HASH = "passwordHash";
        public static final String EMAIL_VERIFIED = "emailVerified";
        public static final String TOKEN_HASH = "tokenHash";
        public static final String EXPIRES_AT = "expiresAt";
        public static final String REASON = "reason";

        private Attr() {}
    }

    private final Map<String, User> usersById = new HashMap<>();
    private final Map<String, String> userIdByEmail = new HashMap<>();
    private final Map<String, Session> sessionsByTokenHash = new HashMap<>();
    private final Map<String, String> tokenHashBySessionId = new HashMap<>();
    private final Map<String, Deque<Instant>> failuresByEmail = new HashMap<>();
    private final Map<String, Deque<Instant>> failuresByAddress = new HashMap<>();
    private final Duration failureMemory;

    public AuthState(Duration failureMemory) {
        this.failureMemory = failureMemory;
    }

    public static String normalizeEmail(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    public synchronized void apply(AuthEvent event) {
        Map<String, String> a = event.getAttributes();
        Instant at = event.getOccurredAt();
        switch (event.getType()) {
            case USER_SIGNED_UP -> {
                String email = normalizeEmail(event.getEmail());
                if (email == null || event.getUserId() == null || userIdByEmail.containsKey(email)) {
                    return;
                }
                usersById.put(event.getUserId(), new User(event.getUserId(), email, a.getOrDefault(Attr.NAME, ""),
                        a.get(Attr.IMAGE), Boolean.parseBoolean(a.getOrDefault(Attr.EMAIL_VERIFIED, "false")),
                        a.get(Attr.PASSWORD_HASH), at, at));
                userIdByEmail.put(email, event.getUserId());
            }
            case USER_UPDATED -> {
                User user = usersById.get(event.getUserId());
                if (user != null) {
                    usersById.put(user.id(), new User(user.id(), user.email(), a.getOrDefault(Attr.NAME, user.name()),
                            a.getOrDefault(Attr.IMAGE, user.image()), user.emailVerified(),
                            a.getOrDefault(Attr.PASSWORD_HASH, user.passwordHash()), user.createdAt(), at));
                }
            }
            case SIGNED_IN -> {
                String tokenHash = a.get(Attr.TOKEN_HASH);
                if (tokenHash == null || event.getSessionId() == null || !usersById.containsKey(event.getUserId())) {
                    return;
                }
                Session session = new Session(event.getSessionId(), tokenHash, event.getUserId(),
                        Instant.ofEpochMilli(Long.parseLong(a.get(Attr.EXPIRES_AT))), event.getClientAddress(),
                        event.getUserAgent(), at, at);
                sessionsByTokenHash.put(tokenHash, session);
                tokenHashBySessionId.put(session.id(), tokenHash);
            }
            case SIGNED_OUT, SESSION_REVOKED -> {
                String tokenHash = tokenHashBySessionId.remove(event.getSessionId());
                if (tokenHash != null) {
                    sessionsByTokenHash.remove(tokenHash);
                }
            }
            case SIGN_IN_FAILED -> {
                remember(failuresByEmail, normalizeEmail(event.getEmail()), at);
                remember(failuresByAddress, event.getClientAddress(), at);
            }
            case TOKEN_ISSUED -> {
                // Audit only.
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

    public synchronized int failuresForEmail(String email, Instant since) {
        return count(failuresByEmail.get(normalizeEmail(email)), since);
    }

    public synchronized int failuresForAddress(String address, Instant since) {
        return count(failuresByAddress.get(address), since);
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
        Instant horizon = now.minus(failureMemory);
        pruneFailures(failuresByEmail, horizon);
        pruneFailures(failuresByAddress, horizon);
    }

    public synchronized int sessionCount() {
        return sessionsByTokenHash.size();
    }

    public synchronized int failureKeys() {
        return failuresByEmail.size() + failuresByAddress.size();
    }

    private static void remember(Map<String, Deque<Instant>> failures, String key, Instant at) {
        if (key != null) {
            failures.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(at);
        }
    }

    private static int count(Deque<Instant> failures, Instant since) {
        return failures == null ? 0 : (int) failures.stream().filter(t -> !t.isBefore(since)).count();
    }

    private static void pruneFailures(Map<String, Deque<Instant>> failures, Instant horizon) {
        failures.values().forEach(d -> {
            while (!d.isEmpty() && d.peekFirst().isBefore(horizon)) {
                d.pollFirst();
            }
        });
        failures.values().removeIf(Deque::isEmpty);
    }
}
