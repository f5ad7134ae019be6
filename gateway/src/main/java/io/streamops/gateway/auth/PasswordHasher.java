package io.streamops.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes. New hashes are argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane) in
 * the PHC string format; Better-Auth's scrypt hashes ({@code saltHex:keyHex}, N=16384 r=16 p=1,
 * 64 bytes, the salt's hex text as the salt) verify too, so users can be imported from a
 * Better-Auth database. Comparisons are constant-time. Hashing is slow on purpose: call it off
 * the event loop.
 */
public final class PasswordHasher {

    /** OWASP Password Storage Cheat Sheet, argon2id, first configuration. */
    static final int MEMORY_KIB = 19 * 1024;

    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC =
            Pattern.compile("^\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)$");
    private static final Pattern BETTER_AUTH_SCRYPT = Pattern.compile("^([0-9a-f]{32}):([0-9a-f]{128})$");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final SecureRandom random = new SecureRandom();

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Whether the password matches the stored hash; false for a hash in an unknown format. */
    public boolean verify(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        Matcher argon = PHC.matcher(stored);
        if (argon.matches()) {
            byte[] expected = B64D.decode(argon.group(5));
            byte[] actual = argon2(
                    password,
                    B64D.decode(argon.group(4)),
                    Integer.parseInt(argon.group(1)),
                    Integer.parseInt(argon.group(2)),
                    Integer.parseInt(argon.group(3)),
                    expected.length);
            return MessageDigest.isEqual(expected, actual);
        }
        Matcher scrypt = BETTER_AUTH_SCRYPT.matcher(stored);
        if (scrypt.matches()) {
            byte[] expected = HexFormat.of().parseHex(scrypt.group(2));
            byte[] actual = SCrypt.generate(
                    normalized(password), scrypt.group(1).getBytes(StandardCharsets.US_ASCII), 16384, 16, 1, 64);
            return MessageDigest.isEqual(expected, actual);
        }
        return false;
    }

    /** Whether a stored hash should be replaced by an argon2id one at the next successful sign-in. */
    public boolean needsRehash(String stored) {
        Matcher argon = PHC.matcher(stored);
        return !argon.matches()
                || Integer.parseInt(argon.group(1)) < MEMORY_KIB
                || Integer.parseInt(argon.group(2)) < ITERATIONS;
    }

    private static byte[] argon2(
            String password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .build());
        byte[] out = new byte[length];
        generator.generateBytes(normalized(password), out);
        return out;
    }

    private static byte[] normalized(String password) {
        return Normalizer.normalize(password, Normalizer.Form.NFKC).getBytes(StandardCharsets.UTF_8);
    }
}
