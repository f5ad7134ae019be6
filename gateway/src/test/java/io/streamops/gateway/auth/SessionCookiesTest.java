package io.streamops.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Against a value captured from Better-Auth 1.7.25 with the same secret. */
class SessionCookiesTest {

    static final String SECRET = "test-secret-0123456789abcdef0123456789";
    static final String TOKEN = "xn40ZTREV0mXQ2LB9Dk4iDzxe4NvRUz2";
    static final String SIGNED = "xn40ZTREV0mXQ2LB9Dk4iDzxe4NvRUz2.U+EunJGPlr7EPYuIp5URmYJ2NS2ugYJU+LQ+jT/O1TQ=";
    static final String ON_THE_WIRE =
            "xn40ZTREV0mXQ2LB9Dk4iDzxe4NvRUz2.U%2BEunJGPlr7EPYuIp5URmYJ2NS2ugYJU%2BLQ%2BjT%2FO1TQ%3D";

    final SessionCookies cookies = new SessionCookies(SECRET);

    @Test
    void signsAsBetterAuthDoes() {
        assertThat(cookies.sign(TOKEN)).isEqualTo(SIGNED);
        assertThat(cookies.cookieValue(TOKEN)).isEqualTo(ON_THE_WIRE);
    }

    @Test
    void verifiesBetterAuthsSignedValuesEncodedOrNot() {
        assertThat(cookies.verify(ON_THE_WIRE)).contains(TOKEN);
        assertThat(cookies.verify(SIGNED)).contains(TOKEN);
    }

    @Test
    void refusesTamperedUnsignedOrForeignValues() {
        assertThat(cookies.verify(SIGNED.replace("xn40", "xn41"))).isEmpty();
        assertThat(cookies.verify(TOKEN)).isEmpty();
        assertThat(new SessionCookies("another-secret-0123456789abcdef0123").verify(SIGNED))
                .isEmpty();
    }

    @Test
    void bearerTokensMayBeSignedOrBare() {
        assertThat(cookies.fromBearer(SIGNED)).contains(TOKEN);
        assertThat(cookies.fromBearer(TOKEN)).contains(TOKEN);
        assertThat(cookies.fromBearer(SIGNED.substring(0, SIGNED.length() - 2) + "A="))
                .isEmpty();
    }

    @Test
    void callbacksMustBeRelativeOrOnATrustedOrigin() {
        OriginCheck origins = new OriginCheck(java.util.Set.of("https://app.example"));

        assertThat(origins.allowsCallback("/dashboard")).isTrue();
        assertThat(origins.allowsCallback("https://app.example/welcome")).isTrue();
        assertThat(origins.allowsCallback("https://evil.example/")).isFalse();
        assertThat(origins.allowsCallback("//evil.example/")).isFalse();
        assertThat(origins.allowsCallback("/\\evil.example/"))
                .as("browsers read \\ as /")
                .isFalse();
        assertThat(origins.allowsCallback("/ok\r\nSet-Cookie: x=1")).isFalse();
    }

    @Test
    void findsOneCookieInAHeader() {
        assertThat(SessionCookies.cookie(
                        "a=1; better-auth.session_token=" + ON_THE_WIRE + "; b=2", SessionCookies.COOKIE))
                .contains(ON_THE_WIRE);
        assertThat(SessionCookies.cookie("a=1", SessionCookies.COOKIE)).isEmpty();
    }
}
