package io.streamops.gateway.auth.jwt;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An external issuer's keys (for example a Better-Auth server's {@code /api/auth/jwks}), kept fresh
 * ahead of need: refetched on a timer, and on an unknown kid at most once per {@code minRefetch}
 * (so forged kids cannot make the gateway hammer the issuer). When the issuer is unreachable the
 * last keys fetched stay in use: an outage of the JWKS endpoint fails no verification.
 */
public final class RemoteJwks implements KeySource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteJwks.class);

    /** Fetches the JWKS document; throws when the issuer cannot be reached or answers an error. */
    @FunctionalInterface
    public interface Fetcher {
        String fetch() throws IOException, InterruptedException;
    }

    private final Fetcher fetcher;
    private final Duration minRefetch;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private volatile Map<String, JWK> keys = Map.of();
    private volatile Instant lastAttempt = Instant.EPOCH;
    private volatile Instant lastSuccess;

    public RemoteJwks(Fetcher fetcher, Duration refresh, Duration minRefetch, Clock clock) {
        this.fetcher = fetcher;
        this.minRefetch = minRefetch;
        this.clock = clock;
        refresh();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jwks-refresh");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::refresh, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Fetches {@code url} over HTTP with a short timeout. */
    public static Fetcher http(URI url) {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return () -> {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(url)
                            .timeout(Duration.ofSeconds(3))
                            .header("Accept", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("JWKS " + url + " answered " + response.statusCode());
            }
            return response.body();
        };
    }

    @Override
    public Optional<JWK> verificationKey(String kid) {
        return Optional.ofNullable(keys.get(kid));
    }

    /**
     * For a kid not known yet: refetches now unless it did within {@code minRefetch}. Blocking;
     * true when the kid is known afterwards.
     */
    public synchronized boolean refetchFor(String kid) {
        if (keys.containsKey(kid)) {
            return true;
        }
        if (Duration.between(lastAttempt, clock.instant()).compareTo(minRefetch) < 0) {
            return false;
        }
        refresh();
        return keys.containsKey(kid);
    }

    /** When the keys were last fetched successfully, if ever. */
    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }

    private synchronized void refresh() {
        lastAttempt = clock.instant();
        try {
            JWKSet set = JWKSet.parse(fetcher.fetch());
            keys = set.getKeys().stream()
                    .filter(k -> k.getKeyID() != null && !k.isPrivate())
                    .collect(Collectors.toUnmodifiableMap(JWK::getKeyID, Function.identity(), (a, b) -> a));
            lastSuccess = clock.instant();
        } catch (IOException | ParseException | RuntimeException e) {
            // Whatever went wrong, the timer must keep running and the last keys stay in use.
            LOG.warn("JWKS refresh failed; keeping {} known key(s): {}", keys.size(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
