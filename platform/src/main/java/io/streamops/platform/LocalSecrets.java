package io.streamops.platform;

import io.streamops.gateway.auth.AuthConfig;
import io.streamops.gateway.keys.MasterKey;
import io.streamops.schemas.config.Settings;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The gateway's secrets for a local run: taken from the environment or configuration when given
 * (STREAMOPS_GATEWAY_AUTH_SECRET, STREAMOPS_GATEWAY_AUTH_MASTER_KEY), otherwise generated once into
 * {@code <data dir>/secrets.properties} (owner-only), so that sessions and keys survive restarts.
 */
final class LocalSecrets {

    static final String SECRET = AuthConfig.SECRET.name();
    static final String MASTER_KEY = AuthConfig.MASTER_KEY.name();

    private LocalSecrets() {}

    static Settings ensure(Settings settings, Path dataDir) throws IOException {
        if (!blank(settings.asMap().get(SECRET)) && !blank(settings.asMap().get(MASTER_KEY))) {
            return settings;
        }
        Path file = dataDir.resolve("secrets.properties");
        Properties secrets = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                secrets.load(in);
            }
        }
        boolean changed = false;
        if (secrets.getProperty(SECRET) == null) {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            secrets.setProperty(SECRET, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            changed = true;
        }
        if (secrets.getProperty(MASTER_KEY) == null) {
            secrets.setProperty(MASTER_KEY, MasterKey.generateBase64());
            changed = true;
        }
        if (changed) {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                try {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system: the file gets the default permissions.
                }
            }
            try (Writer out = Files.newBufferedWriter(file)) {
                secrets.store(
                        out,
                        "Generated for a local run; set STREAMOPS_GATEWAY_AUTH_SECRET and "
                                + "STREAMOPS_GATEWAY_AUTH_MASTER_KEY in production instead");
            }
        }
        Map<String, String> given = new HashMap<>();
        secrets.stringPropertyNames().forEach(k -> given.put(k, secrets.getProperty(k)));
        // Configured values win over generated ones; blank ones (an unset compose variable) do not.
        settings.asMap().forEach((k, v) -> {
            if (!blank(v) || !given.containsKey(k)) {
                given.put(k, v);
            }
        });
        return Settings.of(given);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
