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
    long offset;

    @Test
    void theFirstSignUpOfAnEmailWins() {
        apply(event(
                AuthEventType.USER_SIGNED_UP, "u-1", "Ann@Example.com", null, BEGINNING, Map.of(Attr.NAME, "first")));
        apply(event(
                AuthEventType.USER_SIGNED_UP,
                "u-2",
                "ann@example.com",
                null,
                BEGINNING.plusSeconds(1),
                Map.of(Attr.NAME, "second")));

        assertThat(state.userByEmail("ANN@example.com")).hasValueSatisfying(u -> {
            assertThat(u.id()).isEqualTo("u-1");
            assertThat(u.name()).isEqualTo("first");
        });
        assertThat(state.user("u-2")).isEmpty();
    }

    @Test
    void sessionsLiveUntilSignOutOrExpiry() {
        apply(event(AuthEventType.USER_SIGNED_UP, "u-1", "a@example.com", null, BEGINNING, Map.of()));
        apply(signedIn("s-1", "hash-1", BEGINNING.plus(Duration.ofDays(7))));
        apply(signedIn("s-2", "hash-2", BEGINNING.plus(Duration.ofDays(1))));

        assertThat(state.session("hash-1", BEGINNING)).isPresent();
        apply(event(AuthEventType.SIGNED_OUT, "u-1", "a@example.com", "s-1", BEGINNING.plusSeconds(5), Map.of()));
        assertThat(state.session("hash-1", BEGINNING.plusSeconds(6))).isEmpty();
        assertThat(state.session("hash-2", BEGINNING.plus(Duration.ofDays(1))))
                .as("expired")
                .isEmpty();
    }

    @Test
    void pruningDropsExpiredSessionsAndOldFailures() {
        apply(event(AuthEventType.USER_SIGNED_UP, "u-1", "a@example.com", null, BEGINNING, Map.of()));
        apply(signedIn("s-1", "hash-1", BEGINNING.plus(Duration.ofDays(1))));
        for (int i = 0; i < 3; i++) {
            apply(event(AuthEventType.SIGN_IN_FAILED, null, "x" + i + "@example.com", null, BEGINNING, Map.of()));
        }
        apply(event(AuthEventType.SIGN_IN_ATTEMPTED, null, "y@example.com", null, BEGINNING, Map.of()));
        assertThat(state.signIns("x0@example.com", "192.0.2.1", BEGINNING).account())
                .isEqualTo(1);
        assertThat(state.signIns("y@example.com", "192.0.2.1", BEGINNING).address())
                .as("3 failures, 1 unresolved")
                .isEqualTo(4);
        assertThat(state.sessionCount()).isEqualTo(1);
        assertThat(state.signInKeys())
                .as("4 accounts, 1 address, each with failures or attempts")
                .isEqualTo(6);

        state.prune(BEGINNING.plus(Duration.ofDays(2)));

        assertThat(state.sessionCount()).isZero();
        assertThat(state.signInKeys()).isZero();
    }

    @Test
    void anEventOfATypeNewerThanThisSchemaIsIgnored() {
        apply(event(AuthEventType.USER_SIGNED_UP, "u-1", "a@example.com", null, BEGINNING, Map.of()));
        apply(event(AuthEventType.UNKNOWN, "u-1", "a@example.com", null, BEGINNING, Map.of(Attr.NAME, "changed")));

        assertThat(state.user("u-1"))
                .hasValueSatisfying(u -> assertThat(u.name()).isEmpty());
    }

    private void apply(AuthEvent event) {
        state.apply(event, new SignInLedger.Position(0, offset++));
    }

    private AuthEvent signedIn(String sessionId, String tokenHash, Instant expires) {
        return event(
                AuthEventType.SIGNED_IN,
                "u-1",
                "a@example.com",
                sessionId,
                BEGINNING,
                Map.of(Attr.TOKEN_HASH, tokenHash, Attr.EXPIRES_AT, Long.toString(expires.toEpochMilli())));
    }

    private static AuthEvent event(
            AuthEventType type,
            String userId,
            String email,
            String sessionId,
            Instant at,
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
