package io.streamops.gateway.auth;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sign-in attempts per account (email) and per client address, as the auth-events topic orders
 * them: the failures, and the attempts claimed (SIGN_IN_ATTEMPTED) whose outcome is not on the topic
 * yet. An instance claims an attempt before it checks the password, and counts against it what comes
 * before it in the log, so guesses in flight on any instance count as failures until they resolve.
 *
 * <p>An account's events share one partition (the topic is keyed by email), so "before" is exact
 * for accounts: attempts at lower offsets of that partition. An address's attempts are spread over
 * partitions, whose records have no common order: pending attempts of other partitions count
 * against each other both ways. That can refuse an attempt a strict order would have let through,
 * never the reverse. An attempt whose instance died before resolving it counts as a failure until
 * it leaves the window.
 */
public final class SignInLedger {

    /** Where an event sits in the topic. */
    public record Position(int partition, long offset) {}

    /** Failures and unresolved attempts counted against an account and an address, and when the oldest of each lapses. */
    public record Counted(int account, Optional<Instant> oldestAccount, int address, Optional<Instant> oldestAddress) {}

    private record Attempt(String id, String email, String address, Instant at, Position position) {}

    private final Map<String, Attempt> pendingById = new HashMap<>();
    private final Map<String, Map<String, Attempt>> pendingByEmail = new HashMap<>();
    private final Map<String, Map<String, Attempt>> pendingByAddress = new HashMap<>();
    private final Map<String, Deque<Instant>> failuresByEmail = new HashMap<>();
    private final Map<String, Deque<Instant>> failuresByAddress = new HashMap<>();

    void attempted(String id, String email, String address, Instant at, Position position) {
        Attempt attempt = new Attempt(id, email, address, at, position);
        pendingById.put(id, attempt);
        index(pendingByEmail, email, attempt);
        index(pendingByAddress, address, attempt);
    }

    /** A failure, resolving its attempt if it names one (failures written before attempts were claimed do not). */
    void failed(String attemptId, String email, String address, Instant at) {
        resolved(attemptId);
        remember(failuresByEmail, email, at);
        remember(failuresByAddress, address, at);
    }

    /** The attempt ended without a failure (signed in, or refused unevaluated): it no longer counts. */
    void resolved(String attemptId) {
        Attempt attempt = attemptId == null ? null : pendingById.remove(attemptId);
        if (attempt != null) {
            unindex(pendingByEmail, attempt.email(), attemptId);
            unindex(pendingByAddress, attempt.address(), attemptId);
        }
    }

    /** Everything since {@code since} that counts against the account and the address. */
    Counted counted(String email, String address, Instant since) {
        Tally account = tally(failuresByEmail.get(email), pendingByEmail.get(email), since, null);
        Tally byAddress = tally(failuresByAddress.get(address), pendingByAddress.get(address), since, null);
        return new Counted(account.count, account.oldest, byAddress.count, byAddress.oldest);
    }

    /**
     * What counts against one claimed attempt: failures since {@code since}, and the unresolved
     * attempts that come before it (same partition, lower offset) or cannot be ordered against it
     * (another partition). Itself excluded.
     */
    Counted ahead(String attemptId, Instant since) {
        Attempt mine = pendingById.get(attemptId);
        if (mine == null) {
            throw new IllegalStateException("attempt " + attemptId + " is not in this view");
        }
        Tally account = tally(failuresByEmail.get(mine.email()), pendingByEmail.get(mine.email()), since, mine);
        Tally byAddress =
                tally(failuresByAddress.get(mine.address()), pendingByAddress.get(mine.address()), since, mine);
        return new Counted(account.count, account.oldest, byAddress.count, byAddress.oldest);
    }

    /** Drops failures and unresolved attempts older than {@code horizon}. */
    void prune(Instant horizon) {
        for (Map<String, Deque<Instant>> failures : List.of(failuresByEmail, failuresByAddress)) {
            failures.values().forEach(d -> {
                while (!d.isEmpty() && d.peekFirst().isBefore(horizon)) {
                    d.pollFirst();
                }
            });
            failures.values().removeIf(Deque::isEmpty);
        }
        pendingById.values().stream()
                .filter(a -> a.at().isBefore(horizon))
                .map(Attempt::id)
                .toList()
                .forEach(this::resolved);
    }

    int keys() {
        return failuresByEmail.size() + failuresByAddress.size() + pendingByEmail.size() + pendingByAddress.size();
    }

    private static final class Tally {
        int count;
        Optional<Instant> oldest = Optional.empty();

        void add(Instant at) {
            count++;
            if (oldest.isEmpty() || at.isBefore(oldest.get())) {
                oldest = Optional.of(at);
            }
        }
    }

    private static Tally tally(Deque<Instant> failures, Map<String, Attempt> pending, Instant since, Attempt mine) {
        Tally tally = new Tally();
        if (failures != null) {
            failures.stream().filter(t -> !t.isBefore(since)).forEach(tally::add);
        }
        if (pending != null) {
            pending.values().stream()
                    .filter(a -> !a.at().isBefore(since))
                    .filter(a -> mine == null || isAhead(a, mine))
                    .forEach(a -> tally.add(a.at()));
        }
        return tally;
    }

    private static boolean isAhead(Attempt other, Attempt mine) {
        if (other.id().equals(mine.id())) {
            return false;
        }
        return other.position().partition() != mine.position().partition()
                || other.position().offset() < mine.position().offset();
    }

    private static void index(Map<String, Map<String, Attempt>> byKey, String key, Attempt attempt) {
        if (key != null) {
            byKey.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(attempt.id(), attempt);
        }
    }

    private static void unindex(Map<String, Map<String, Attempt>> byKey, String key, String attemptId) {
        Map<String, Attempt> attempts = key == null ? null : byKey.get(key);
        if (attempts != null) {
            attempts.remove(attemptId);
            if (attempts.isEmpty()) {
                byKey.remove(key);
            }
        }
    }

    private static void remember(Map<String, Deque<Instant>> failures, String key, Instant at) {
        if (key != null) {
            failures.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(at);
        }
    }
}
