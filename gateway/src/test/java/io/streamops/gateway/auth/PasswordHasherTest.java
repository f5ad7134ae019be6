package io.streamops.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void newHashesAreArgon2idWithOwaspParametersAndVerify() {
        String hash = hasher.hash("correct horse battery staple");

        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.verify("correct horse battery staple", hash)).isTrue();
        assertThat(hasher.verify("correct horse battery stapler", hash)).isFalse();
        assertThat(hasher.needsRehash(hash)).isFalse();
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertThat(hasher.hash("pw-123456")).isNotEqualTo(hasher.hash("pw-123456"));
    }

    // Hashes in Better-Auth's format (scrypt N=16384 r=16 p=1, 64 bytes, hex salt text), made with
    // Node's scrypt under Better-Auth's parameters.
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "ascii password|correct horse battery staple|00112233445566778899aabbccddeeff:f5b22309b28fe412c82a4b2cab57498b8f8a42c849af16cb908974048f61c13933421858db3a8f111430bdc493c7cef90f61f904061c77206e3820a2e8b11bc2",
                "non-ASCII password, NFKC|pässwörd-ÅΩ|00112233445566778899aabbccddeeff:d5f164871ef4f44e0f247bed5a34a72044436eb11a988df603790c4538596430213cf8e6e06faf48c266fb0f483bf02089b24cd9bfcdd4a844588bfbf8214337"
            })
    void verifiesBetterAuthScryptHashes(String description, String password, String hash) {
        assertThat(hasher.verify(password, hash)).isTrue();
        assertThat(hasher.verify(password + "x", hash)).isFalse();
        assertThat(hasher.needsRehash(hash)).isTrue();
    }

    @Test
    void unknownFormatsNeverVerify() {
        assertThat(hasher.verify("pw", "plaintext-pw")).isFalse();
        assertThat(hasher.verify("pw", "$2b$10$abcdefghijklmnopqrstuv")).isFalse();
        assertThat(hasher.verify(null, "x")).isFalse();
    }
}
