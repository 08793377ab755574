package io.wxpayfn.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The read-compute-write loop: a lost race is retried on a fresh read, and endless losing is contention, not an outage. */
class ConditionalWritesTest {

    private final InMemoryOrderStore store = new InMemoryOrderStore();
    private final Order order = store.createIfAbsent(OrderTest.unpaid());

    /** A change that always has something to write: the next version of whatever it is given. */
    private static Optional<Order> nextVersion(Order current) {
        return Optional.of(current.withEvents(current.events()));
    }

    @Test
    void aLostRaceIsRecomputedOnAFreshReadAndThenWritten() {
        store.loseNextRaces(3);
        Order written = ConditionalWrites.update(store, order, ConditionalWritesTest::nextVersion);
        assertEquals(order.outTradeNo(), written.outTradeNo());
        // Three concurrent versions won first; ours was computed from the last of them, not from the stale copy.
        assertEquals(order.version() + 4, written.version());
        assertEquals(written, store.find(order.outTradeNo()).orElseThrow());
    }

    @Test
    void racesLostEveryTimeAreWriteContentionNotAStoreOutage() {
        store.loseNextRaces(Integer.MAX_VALUE);
        WriteContentionException contention = assertThrows(
                WriteContentionException.class,
                () -> ConditionalWrites.update(store, order, ConditionalWritesTest::nextVersion));
        assertEquals(PaymentException.Kind.WRITE_CONTENTION, contention.kind());
        assertTrue(contention.getMessage().contains(order.outTradeNo()), contention.getMessage());
        long competingWrites = store.find(order.outTradeNo()).orElseThrow().version() - order.version();
        assertTrue(competingWrites > 1, "it retried before giving up: " + competingWrites + " attempts");
    }
}
