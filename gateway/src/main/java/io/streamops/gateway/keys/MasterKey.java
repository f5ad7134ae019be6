package io.streamops.gateway.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts signing keys at rest (on the signing-keys topic) with AES-256-GCM under a master key
 * that comes from the environment; the key id is bound in as associated data, so a ciphertext
 * cannot be replayed under another kid.
 */
public final class MasterKey {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private MasterKey(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException(
                    "the master key must be 32 bytes (base64 of 32 random bytes), was " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** From base64 text, as in STREAMOPS_GATEWAY_AUTH_MASTER_KEY. */
    public static MasterKey fromBase64(String base64) {
        try {
            return new MasterKey(Base64.getDecoder().decode(base64.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the master key is not valid base64 of 32 bytes: " + e.getMessage());
        }
    }

    /** A new random master key, as base64: for a first local run. */
    public static String generateBase64() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public byte[] encrypt(String kid, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt key " + kid, e);
        }
    }

    public String decrypt(String kid, byte[] ciphertext) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ciphertext, 0, NONCE_BYTES));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return new String(
                    cipher.doFinal(ciphertext, NONCE_BYTES, ciphertext.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot decrypt key " + kid + ": wrong master key or tampered ciphertext", e);
        }
    }
}
