package io.streamops.gateway.auth.jwt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * The one spelling of a token that is accepted: the JWS compact serialization (RFC 7515 §7.1, as
 * RFC 7519 uses it) read strictly, before any library parses it. Lenient base64url decoders skip
 * characters outside the alphabet, padding and line breaks, and ignore the unused low bits of a
 * last character, so one signed token would have many accepted spellings; duplicate JSON members
 * would let two readers see different claims. Exactly three segments, each canonical unpadded
 * base64url and only the signature possibly empty; a header and a payload that are single JSON objects in UTF-8 without
 * duplicate member names (RFC 7515 §4, RFC 7519 §4).
 */
final class StrictCompactJws {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private StrictCompactJws() {}

    /** Why the token is not in the strict compact serialization, or empty if it is. */
    static Optional<Verification.Rejected> check(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0) {
            return rejected(Rejection.MALFORMED, "not a compact JWS: three segments separated by dots");
        }
        if (token.indexOf('.', second + 1) >= 0) {
            long dots = token.chars().filter(c -> c == '.').count();
            return rejected(
                    Rejection.MALFORMED, dots == 4 ? "encrypted tokens are not accepted" : "more than three segments");
        }
        String[] segments = {token.substring(0, first), token.substring(first + 1, second), token.substring(second + 1)
        };
        String[] names = {"header", "payload", "signature"};
        for (int i = 0; i < segments.length; i++) {
            if (i == 2 && segments[i].isEmpty()) {
                // An unsecured JWS (RFC 7519 section 6.1) is well formed; alg none is refused later with its own
                // reason.
                break;
            }
            Optional<String> problem = base64urlProblem(segments[i]);
            if (problem.isPresent()) {
                return rejected(
                        problem.get().equals("empty") ? Rejection.MALFORMED : Rejection.INVALID_BASE64URL,
                        "the " + names[i] + " segment " + (problem.get().equals("empty") ? "is empty" : problem.get()));
            }
        }
        for (int i = 0; i < 2; i++) {
            Optional<Verification.Rejected> problem =
                    jsonObjectProblem(names[i], Base64.getUrlDecoder().decode(segments[i]));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    /** Why a segment is not canonical unpadded base64url ("empty" for an empty one), or empty if it is. */
    static Optional<String> base64urlProblem(String segment) {
        if (segment.isEmpty()) {
            return Optional.of("empty");
        }
        for (int i = 0; i < segment.length(); i++) {
            if (sextet(segment.charAt(i)) < 0) {
                char c = segment.charAt(i);
                return Optional.of("has " + describe(c) + " at " + i + ", outside the base64url alphabet");
            }
        }
        int rest = segment.length() % 4;
        if (rest == 1) {
            return Optional.of("has a length no base64url encoding has (" + segment.length() + ")");
        }
        // The last character of a 2- or 3-character group carries 4 or 2 unused bits, which must be zero.
        int unusedBits = rest == 2 ? 4 : rest == 3 ? 2 : 0;
        if (unusedBits > 0 && (sextet(segment.charAt(segment.length() - 1)) & ((1 << unusedBits) - 1)) != 0) {
            return Optional.of(
                    "ends in a character whose unused bits are not zero (a second spelling of the same bytes)");
        }
        return Optional.empty();
    }

    private static Optional<Verification.Rejected> jsonObjectProblem(String name, byte[] bytes) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return rejected(Rejection.INVALID_JSON, "the " + name + " is not a JSON object");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return rejected(Rejection.INVALID_JSON, "the " + name + " has content after its JSON object");
            }
            return Optional.empty();
        } catch (JsonParseException e) {
            if (String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
                return rejected(
                        Rejection.DUPLICATE_MEMBER, "the " + name + " repeats a member: " + e.getOriginalMessage());
            }
            return rejected(Rejection.INVALID_JSON, "the " + name + " is not JSON in UTF-8: " + e.getOriginalMessage());
        } catch (IOException e) {
            return rejected(Rejection.INVALID_JSON, "the " + name + " cannot be read: " + e.getMessage());
        }
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }

    private static String describe(char c) {
        return c > ' ' && c < 127 ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static Optional<Verification.Rejected> rejected(Rejection reason, String detail) {
        return Optional.of(new Verification.Rejected(reason, detail));
    }
}
