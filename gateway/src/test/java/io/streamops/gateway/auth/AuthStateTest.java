package io.streamops.gateway.auth;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.events.AuthEvent;
import io.streamops.events.AuthEventType;
import io.streamops.gateway.auth.AuthState.Attr;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthStateTest {

    final AuthState state = new AuthState(Duration.ofHours(1));

    @Test
    void theFirstSignUpOfAnEmailWins() {
        state.apply(event(AuthEventType.USER_SIGNED_UP, "u-1", "Ann@Example.com", null, BEGINNING, Map.of(Attr.NAME, "first")));
        state.apply(event(AuthEventType.USER_SIGNED_UP, "u-2", "ann@example.com", null, BEGINNING.plusSeconds(1), Map.of(Attr.NAME, "second")));

        assertThat(state.userByEmail("ANN@example.com")).hasValueSatisfying(u -> {
            assertThat(u.id()).isEqualTo("u-1");
            assertThat(u.name()).isEqualTo("first");
        });
        assertThat(state.user("u-2")).isEmpty();
    }

    @Test
    void sessionsLiveUntilSignOutOrExpiry() {
        state.apply(event(AuthEventType.USER_SIGNED_UP, "u-1", "a@example.com", null, BEGINNING, Map.of()));
        state.apply(signedIn("s-1", "hash-1", BEGINNING.plus(Duration.ofDays(7))));
        state.apply(signedIn("s-2", "hash-2", BEGINNING.plus(Duration.ofDays(1))));

        assertThat(state.session("hash-1", BEGINNING)).isPresent();
        state.apply(event(AuthEventType.SIGNED_OUT, "u-1", "a@example.com", "s-1", BEGINNING.plusSeconds(5), Map.of()));
        assertThat(state.session("hash-1", BEGINNING.plusSeconds(6))).isEmpty();
        assertThat(state.session("hash-2", BEGINNING.plus(Duration.ofDays(1)))).as("expired").isEmpty();
    }

    @Test
    void pruningDropsExpiredSessionsAndOldFailures() {
        state.apply(event(AuthEventType.USER_SIGNED_UP, "u-1", "a@example.com", null, BEGINNING, Map.of()));
        state.apply(signedIn("s-1", "hash-1", BEGINNING.plus(Duration.ofDays(1))));
        for (int i = 0; i < 3; i++) {
            state.apply(event(AuthEventType.SIGN_IN_FAILED, null, "x" + i + "@example.com", null, BEGINNING, Map.of()));
        }
        assertThat(state.failuresForEmail("x0@example.com", BEGINNING)).isEqualTo(1);
        assertThat(state.sessionCount()).isEqualTo(1);
        assertThat(state.failureKeys()).isEqualTo(4);

        state.prune(BEGINNING.plus(Duration.ofDays(2)));

        assertThat(state.sessionCount()).isZero();
        assertThat(state.failureKeys()).isZero();
    }

    private AuthEvent signedIn(String sessionId, String tokenHash, Instant expires) {
        return event(AuthEventType.SIGNED_IN, "u-1", "a@example.com", sessionId, BEGINNING,
                Map.of(Attr.TOKEN_HASH, tokenHash, Attr.EXPIRES_AT, Long.toString(expires.toEpochMilli())));
    }

    private static AuthEvent event(AuthEventType type, String userId, String email, String sessionId, Instant at,
            Map<String, String> attributes) {
        return AuthEvent.newBuilder()
                .setEventId(type + "-" + at)
                .setOccurredAt(at)
                .setType(type)
                .setUserId(userId)
                .setEmail(email)
                .setSessionId(sessionId)
                .setClientAddress("192.0.2.1")
                .setUserAgent("test")
                .setAttributes(attributes)
                .build();
    }
}
