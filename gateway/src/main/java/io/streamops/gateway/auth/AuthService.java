package io.streamops.gateway.auth;

import io.streamops.events.AuthEvent;
import io.streamops.events.AuthEventType;
import io.streamops.gateway.auth.AuthState.Attr;
import io.streamops.gateway.auth.AuthState.Session;
import io.streamops.gateway.auth.AuthState.User;
import io.streamops.schemas.topics.TopicView;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sign-up, sign-in, sessions and sign-out, event-sourced: each change is an auth event written to
 * the topic and applied to this instance's view before the caller is answered, so a client reads
 * its own writes here, and every other instance sees the same users and sessions moments later.
 * Blocking (password hashing, produce): call it off the event loop.
 */
public final class AuthService {

    /**
     * @param maxFailuresPerAccount failed sign-ins of one email within {@code failureWindow} before
     *     its sign-ins are refused with 429
     * @param maxFailuresPerAddress the same per client address
     */
    public record Config(Duration sessionLifetime, int minPasswordLength, int maxPasswordLength, int maxFailuresPerAccount,
            int maxFailuresPerAddress, Duration failureWindow) {
        public static Config defaults() {
            return new Config(Duration.ofDays(7), 8, 128, 5, 20, Duration.ofMinutes(15));
        }
    }

    /** Who is asking: address and user agent, recorded on sessions and events. */
    public record Client(String address, String userAgent) {}

    public record SignedIn(String token, Session session, User user) {}

    public record SessionView(Session session, User user) {}

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final AuthState state;
    private final TopicView<AuthEvent> view;
    private final Producer<String, AuthEvent> producer;
    private final String topic;
    private final PasswordHasher hasher;
    private final Config config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /**
     * Sign-ins being checked right now, per email and per address: they count against the limits
     * before their outcome reaches the topic, so parallel guesses cannot outrun the throttle.
     */
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    /** Compared against when the email is unknown, so that a miss costs as much as a wrong password. */
    private final String decoyHash;

    public AuthService(AuthState state, TopicView<AuthEvent> view, Producer<String, AuthEvent> producer, String topic,
            PasswordHasher hasher, Config config, Clock clock) {
        this.state = state;
        this.view = view;
        this.producer = producer;
        this.topic = topic;
        this.hasher = hasher;
        this.config = config;
        this.clock = clock;
        this.decoyHash = hasher.hash(randomId(24));
    }

    /** How long a new session lives: the configured lifetime, or a day when the user asked not to be remembered. */
    public Duration sessionLifetime(boolean remember) {
        return remember ? config.sessionLifetime() : Duration.ofDays(1);
    }

    public SignedIn signUp(String email, String password, String name, String image, Client client, boolean remember) {
        String normalized = AuthState.normalizeEmail(email);
        if (normalized == null || !EMAIL.matcher(normalized).matches()) {
            throw new AuthException(400, "INVALID_EMAIL", "Invalid email");
        }
        checkPassword(password);
        if (state.userByEmail(normalized).isPresent()) {
            throw new AuthException(422, "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", "User already exists. Use another email.");
        }
        String userId = randomId(32);
        Map<String, String> attributes = new HashMap<>();
        attributes.put(Attr.NAME, name == null ? "" : name);
        attributes.put(Attr.PASSWORD_HASH, hasher.hash(password));
        attributes.put(Attr.EMAIL_VERIFIED, "false");
        if (image != null) {
            attributes.put(Attr.IMAGE, image);
        }
        publish(event(AuthEventType.USER_SIGNED_UP, userId, normalized, null, client, attributes));
        User user = state.userByEmail(normalized).orElseThrow();
        if (!user.id().equals(userId)) {
            // Another instance signed this email up first; the topic's order decided.
            throw new AuthException(422, "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", "User already exists. Use another email.");
        }
        return startSession(user, client, remember);
    }

    public SignedIn signIn(String email, String password, Client client, boolean remember) {
        String normalized = AuthState.normalizeEmail(email);
        if (normalized == null || password == null) {
            throw new AuthException(400, "INVALID_EMAIL_OR_PASSWORD", "Invalid email or password");
        }
        String emailKey = "email:" + normalized;
        String addressKey = "address:" + client.address();
        int emailAttempts = attempts.computeIfAbsent(emailKey, k -> new AtomicInteger()).incrementAndGet();
        int addressAttempts = attempts.computeIfAbsent(addressKey, k -> new AtomicInteger()).incrementAndGet();
        try {
            Instant since = clock.instant().minus(config.failureWindow());
            // Attempts in flight include this one: failures so far plus the others must leave room for it.
            if (state.failuresForEmail(normalized, since) + emailAttempts > config.maxFailuresPerAccount()
                    || state.failuresForAddress(client.address(), since) + addressAttempts > config.maxFailuresPerAddress()) {
                throw new AuthException(429, "TOO_MANY_REQUESTS", "Too many failed sign-in attempts; try again later");
            }
            return checkPassword(normalized, password, client, remember);
        } finally {
            release(emailKey);
            release(addressKey);
        }
    }

    private void release(String key) {
        attempts.computeIfPresent(key, (k, n) -> n.decrementAndGet() == 0 ? null : n);
    }

    private SignedIn checkPassword(String normalized, String password, Client client, boolean remember) {
        Optional<User> user = state.userByEmail(normalized);
        boolean matches = hasher.verify(password, user.map(User::passwordHash).orElse(decoyHash));
        if (user.isEmpty() || !matches) {
            publish(event(AuthEventType.SIGN_IN_FAILED, user.map(User::id).orElse(null), normalized, null, client,
                    Map.of(Attr.REASON, user.isEmpty() ? "unknown email" : "wrong password")));
            throw new AuthException(401, "INVALID_EMAIL_OR_PASSWORD", "Invalid email or password");
        }
        if (hasher.needsRehash(user.get().passwordHash())) {
            publish(event(AuthEventType.USER_UPDATED, user.get().id(), normalized, null, client,
                    Map.of(Attr.PASSWORD_HASH, hasher.hash(password))));
        }
        return startSession(state.user(user.get().id()).orElseThrow(), client, remember);
    }

    /** The live session of a token, with its user. */
    public Optional<SessionView> session(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        return state.session(tokenHash(token), clock.instant())
                .flatMap(s -> state.user(s.userId()).map(u -> new SessionView(s, u)));
    }

    /** Ends the session of a token, on every instance. */
    public boolean signOut(String token, Client client) {
        Optional<SessionView> current = session(token);
        current.ifPresent(v -> publish(event(AuthEventType.SIGNED_OUT, v.user().id(), v.user().email(), v.session().id(),
                client, Map.of())));
        return current.isPresent();
    }

    private SignedIn startSession(User user, Client client, boolean remember) {
        String token = randomId(32);
        String sessionId = randomId(32);
        Instant expires = clock.instant().plus(sessionLifetime(remember));
        publish(event(AuthEventType.SIGNED_IN, user.id(), user.email(), sessionId, client, Map.of(
                Attr.TOKEN_HASH, tokenHash(token),
                Attr.EXPIRES_AT, Long.toString(expires.toEpochMilli()))));
        Session session = state.session(tokenHash(token), clock.instant()).orElseThrow();
        return new SignedIn(token, session, user);
    }

    private void checkPassword(String password) {
        if (password == null || password.length() < config.minPasswordLength()) {
            throw new AuthException(400, "PASSWORD_TOO_SHORT", "Password too short");
        }
        if (password.length() > config.maxPasswordLength()) {
            throw new AuthException(400, "PASSWORD_TOO_LONG", "Password too long");
        }
    }

    private AuthEvent event(AuthEventType type, String userId, String email, String sessionId, Client client,
            Map<String, String> attributes) {
        return AuthEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(clock.instant())
                .setType(type)
                .setUserId(userId)
                .setEmail(email)
                .setSessionId(sessionId)
                .setClientAddress(client.address())
                .setUserAgent(client.userAgent())
                .setAttributes(attributes)
                .build();
    }

    /** Writes the event (keyed by email, so one user's events stay in order) and waits until applied here. */
    private void publish(AuthEvent event) {
        try {
            RecordMetadata written = producer.send(new ProducerRecord<>(topic, event.getEmail(), event)).get(10, TimeUnit.SECONDS);
            view.awaitApplied(written, Duration.ofSeconds(10));
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            throw new AuthException(503, "UNAVAILABLE", "auth store unavailable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthException(503, "UNAVAILABLE", "interrupted");
        }
    }

    static String tokenHash(String token) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String randomId(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
