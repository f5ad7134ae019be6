package io.streamops.gateway.auth;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Better-Auth's signed session token: {@code token.base64(HMAC-SHA256(secret, token))} (standard
 * base64, padded, 44 characters), URL-encoded in the {@code better-auth.session_token} cookie and
 * sent as is in {@code set-auth-token}. Bearer tokens may be signed or the bare token.
 */
public final class SessionCookies {

    public static final String COOKIE = "better-auth.session_token";
    public static final String DONT_REMEMBER = "better-auth.dont_remember";
    public static final String SESSION_DATA = "better-auth.session_data";

    private final SecretKeySpec key;

    public SessionCookies(String secret) {
        if (secret == null || secret.length() < 32) {
            throw new IllegalArgumentException("the auth secret must be at least 32 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** {@code token.signature}, as in set-auth-token. */
    public String sign(String token) {
        return token + "." + signature(token);
    }

    /** The cookie value: the signed token, URL-encoded as encodeURIComponent does. */
    public String cookieValue(String token) {
        return URLEncoder.encode(sign(token), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The token of a signed value (URL-encoded or not), if its signature holds. */
    public Optional<String> verify(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String decoded = value.contains("%") ? URLDecoder.decode(value, StandardCharsets.UTF_8) : value;
        int dot = decoded.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String token = decoded.substring(0, dot);
        String signature = decoded.substring(dot + 1);
        if (signature.length() != 44 || !signature.endsWith("=")) {
            return Optional.empty();
        }
        return MessageDigest.isEqual(
                        signature(token).getBytes(StandardCharsets.US_ASCII),
                        signature.getBytes(StandardCharsets.US_ASCII))
                ? Optional.of(token)
                : Optional.empty();
    }

    /** A bearer value: signed values must verify; a bare token (no dot) is taken as is. */
    public Optional<String> fromBearer(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return value.contains(".") ? verify(value) : Optional.of(value);
    }

    /** The value of one cookie in a Cookie header. */
    public static Optional<String> cookie(String header, String name) {
        if (header == null) {
            return Optional.empty();
        }
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                return Optional.of(part.substring(eq + 1).trim());
            }
        }
        return Optional.empty();
    }

    private String signature(String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
