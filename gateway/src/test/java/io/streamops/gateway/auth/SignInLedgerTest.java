package io.streamops.gateway.auth;

import static io.streamops.schemas.testing.TestEvents.BEGINNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamops.gateway.auth.SignInLedger.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What counts against a claimed sign-in attempt, in the topic's order. */
class SignInLedgerTest {

    static final String ANN = "ann@example.com";
    static final String BOB = "bob@example.com";
    static final String HOME = "192.0.2.1";
    static final String CAFE = "198.51.100.7";
    static final Instant T = BEGINNING;

    /**
     * Each case replays events into a ledger, then asks what is ahead of attempt "mine", counted
     * against its account and against its address since T.
     */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "nothing before it: nothing counts",
                        (Consumer<SignInLedger>) l -> {
                            l.attempted("mine", ANN, HOME, T, at(0, 10));
                        },
                        0,
                        0),
                Arguments.of(
                        "an unresolved attempt of the account earlier on its partition counts",
                        (Consumer<SignInLedger>) l -> {
                            l.attempted("a", ANN, HOME, T, at(0, 9));
                            l.attempted("mine", ANN, HOME, T, at(0, 10));
                        },
                        1,
                        1),
                Arguments.of(
                        "one later on the same partition does not: it counts this one instead",
                        (Consumer<SignInLedger>) l -> {
                            l.attempted("mine", ANN, HOME, T, at(0, 10));
                            l.attempted("b", ANN, HOME, T, at(0, 11));
                        },
                        0,
                        0),
                Arguments.of(
                        "an attempt on another partition cannot be ordered: it counts against the address",
                        (Consumer<SignInLedger>) l -> {
                            l.attempted("mine", ANN, HOME, T, at(0, 10));
                            l.attempted("b", BOB, HOME, T, at(1, 3));
                        },
                        0,
                        1),
                Arguments.of(
                        "another address's attempts do not count against this address",
                        (Consumer<SignInLedger>) l -> {
                            l.attempted("c", BOB, CAFE, T, at(1, 2));
                            l.attempted("mine", ANN, HOME, T, at(0, 10));
                        },
                        0,
                        0),
                Arguments.of(
                        "a failed attempt counts once, as a failure",
                        (Consumer<SignInLedger>) l -> {
                            l.attempted("a", ANN, HOME, T, at(0, 8));
                            l.failed("a", ANN, HOME, T);
                            l.attempted("mine", ANN, HOME, T, at(0, 10));
                        },
                        1,
                        1),
                Arguments.of(
                        "a signed-in attempt stops counting",
                        (Consumer<SignInLedger>) l -> {
                            l.attempted("a", ANN, HOME, T, at(0, 8));
                            l.resolved("a");
                            l.attempted("mine", ANN, HOME, T, at(0, 10));
                        },
                        0,
                        0),
                Arguments.of(
                        "failures written before attempts were claimed still count",
                        (Consumer<SignInLedger>) l -> {
                            l.failed(null, ANN, HOME, T);
                            l.failed(null, ANN, CAFE, T);
                            l.attempted("mine", ANN, HOME, T, at(0, 10));
                        },
                        2,
                        1),
                Arguments.of(
                        "failures and attempts before the window do not count",
                        (Consumer<SignInLedger>) l -> {
                            l.failed(null, ANN, HOME, T.minusSeconds(1));
                            l.attempted("a", ANN, HOME, T.minusSeconds(1), at(0, 9));
                            l.attempted("mine", ANN, HOME, T, at(0, 10));
                        },
                        0,
                        0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void countsWhatIsAheadOfAnAttempt(String description, Consumer<SignInLedger> events, int account, int address) {
        SignInLedger ledger = new SignInLedger();
        events.accept(ledger);

        SignInLedger.Counted ahead = ledger.ahead("mine", T);

        assertThat(ahead.account()).as("against the account").isEqualTo(account);
        assertThat(ahead.address()).as("against the address").isEqualTo(address);
    }

    @Test
    void twentyClaimsOfOneAccountLetOnlyTheFirstFiveThrough() {
        SignInLedger ledger = new SignInLedger();
        for (int i = 0; i < 20; i++) {
            ledger.attempted("g" + i, ANN, HOME, T, at(0, i));
        }
        long evaluated = Stream.iterate(0, i -> i + 1)
                .limit(20)
                .filter(i -> ledger.ahead("g" + i, T).account() < 5)
                .count();

        assertThat(evaluated).isEqualTo(5);
    }

    @Test
    void theOldestCountedEntryTellsWhenTheWindowFreesASlot() {
        SignInLedger ledger = new SignInLedger();
        ledger.failed(null, ANN, HOME, T.plusSeconds(5));
        ledger.attempted("a", ANN, HOME, T.plusSeconds(2), at(0, 1));

        assertThat(ledger.counted(ANN, HOME, T).oldestAccount()).isEqualTo(Optional.of(T.plusSeconds(2)));
    }

    @Test
    void pruningClearsFailuresAndTheClaimsOfInstancesThatDied() {
        SignInLedger ledger = new SignInLedger();
        ledger.failed(null, ANN, HOME, T);
        ledger.attempted("never-resolved", BOB, CAFE, T, at(1, 0));
        assertThat(ledger.keys()).isEqualTo(4);

        ledger.prune(T.plus(Duration.ofMinutes(16)));

        assertThat(ledger.keys()).isZero();
        assertThat(ledger.counted(BOB, CAFE, T).address()).isZero();
    }

    static Position at(int partition, long offset) {
        return new Position(partition, offset);
    }
}
