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
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

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
    public record Config(
            Duration sessionLifetime,
            int minPasswordLength,
            int maxPasswordLength,
            int maxFailuresPerAccount,
            int maxFailuresPerAddress,
            Duration failureWindow) {
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
    /** Compared against when the email is unknown, so that a miss costs as much as a wrong password. */
    private final String decoyHash;

    public AuthService(
            AuthState state,
            TopicView<AuthEvent> view,
            Producer<String, AuthEvent> producer,
            String topic,
            PasswordHasher hasher,
            Config config,
            Clock clock) {
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
            throw new AuthException(
                    422, "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", "User already exists. Use another email.");
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
            throw new AuthException(
                    422, "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL", "User already exists. Use another email.");
        }
        return startSession(user, client, remember, Map.of());
    }

    /**
     * Signs in, throttled per account and per client address across instances: the attempt is
     * claimed on the topic before the password is checked, and refused unevaluated if the failures
     * and unresolved attempts ahead of it already reach a limit (see {@link SignInLedger}).
     */
    public SignedIn signIn(String email, String password, Client client, boolean remember) {
        String normalized = AuthState.normalizeEmail(email);
        if (normalized == null || password == null) {
            throw new AuthException(400, "INVALID_EMAIL_OR_PASSWORD", "Invalid email or password");
        }
        Instant since = clock.instant().minus(config.failureWindow());
        // This view can lag the topic, so it can only undercount: a refusal on it alone is always due.
        refuseIfThrottled(state.signIns(normalized, client.address(), since), null, normalized, client);
        AuthEvent attempt = event(AuthEventType.SIGN_IN_ATTEMPTED, null, normalized, null, client, Map.of());
        // Once the claim is applied here, so is every earlier event of this account (they share its
        // partition); reading to the committed end brings in this address's claims on other partitions.
        publish(attempt);
        awaitCommittedEnd();
        refuseIfThrottled(state.ahead(attempt.getEventId(), since), attempt.getEventId(), normalized, client);
        return checkPassword(normalized, password, client, remember, attempt.getEventId());
    }

    private void refuseIfThrottled(SignInLedger.Counted counted, String attemptId, String normalized, Client client) {
        boolean account = counted.account() >= config.maxFailuresPerAccount();
        boolean address = counted.address() >= config.maxFailuresPerAddress();
        if (!account && !address) {
            return;
        }
        if (attemptId != null) {
            // Resolves the claim so that it stops counting; a lost write leaves it counting for the window.
            producer.send(new ProducerRecord<>(
                    topic,
                    normalized,
                    event(
                            AuthEventType.SIGN_IN_THROTTLED,
                            null,
                            normalized,
                            null,
                            client,
                            Map.of(Attr.ATTEMPT, attemptId, Attr.REASON, account ? "account" : "address"))));
        }
        Instant oldest = (account ? counted.oldestAccount() : counted.oldestAddress()).orElse(clock.instant());
        Duration retryAfter = Duration.between(clock.instant(), oldest.plus(config.failureWindow()));
        throw AuthException.tooManyRequests(retryAfter.isNegative() ? Duration.ZERO : retryAfter);
    }

    private void awaitCommittedEnd() {
        try {
            view.awaitCommittedEnd(Duration.ofSeconds(10));
        } catch (IllegalStateException e) {
            throw new AuthException(503, "UNAVAILABLE", "auth store unavailable: " + e.getMessage());
        }
    }

    private SignedIn checkPassword(
            String normalized, String password, Client client, boolean remember, String attemptId) {
        Optional<User> user = state.userByEmail(normalized);
        boolean matches = hasher.verify(password, user.map(User::passwordHash).orElse(decoyHash));
        if (user.isEmpty() || !matches) {
            publish(event(
                    AuthEventType.SIGN_IN_FAILED,
                    user.map(User::id).orElse(null),
                    normalized,
                    null,
                    client,
                    Map.of(Attr.REASON, user.isEmpty() ? "unknown email" : "wrong password", Attr.ATTEMPT, attemptId)));
            throw new AuthException(401, "INVALID_EMAIL_OR_PASSWORD", "Invalid email or password");
        }
        if (hasher.needsRehash(user.get().passwordHash())) {
            publish(event(
                    AuthEventType.USER_UPDATED,
                    user.get().id(),
                    normalized,
                    null,
                    client,
                    Map.of(Attr.PASSWORD_HASH, hasher.hash(password))));
        }
        return startSession(
                state.user(user.get().id()).orElseThrow(), client, remember, Map.of(Attr.ATTEMPT, attemptId));
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
        current.ifPresent(v -> publish(event(
                AuthEventType.SIGNED_OUT,
                v.user().id(),
                v.user().email(),
                v.session().id(),
                client,
                Map.of())));
        return current.isPresent();
    }

    private SignedIn startSession(User user, Client client, boolean remember, Map<String, String> extra) {
        String token = randomId(32);
        String sessionId = randomId(32);
        Instant expires = clock.instant().plus(sessionLifetime(remember));
        Map<String, String> attributes = new HashMap<>(extra);
        attributes.put(Attr.TOKEN_HASH, tokenHash(token));
        attributes.put(Attr.EXPIRES_AT, Long.toString(expires.toEpochMilli()));
        publish(event(AuthEventType.SIGNED_IN, user.id(), user.email(), sessionId, client, attributes));
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

    private AuthEvent event(
            AuthEventType type,
            String userId,
            String email,
            String sessionId,
            Client client,
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
            view.writeAndAwait(producer, new ProducerRecord<>(topic, event.getEmail(), event), Duration.ofSeconds(10));
        } catch (IllegalStateException e) {
            throw new AuthException(503, "UNAVAILABLE", "auth store unavailable: " + e.getMessage());
        }
    }

    static String tokenHash(String token) {
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
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
