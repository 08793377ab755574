package io.wxpayfn.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The read-compute-write loop: a lost race is retried on a fresh read, and endless losing is contention, not an outage. */
class ConditionalWritesTest {

    private static final Order ORDER = OrderTest.unpaid();

    /** A store whose conditional write loses the first {@code losses} times; only find and the write are used. */
    private static OrderStore losing(int losses, AtomicInteger writes) {
        return (OrderStore) Proxy.newProxyInstance(
                OrderStore.class.getClassLoader(), new Class<?>[] {OrderStore.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "find":
                            return Optional.of(ORDER);
                        case "replaceIfCurrent":
                            return writes.incrementAndGet() > losses;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    @Test
    void aLostRaceIsRecomputedOnAFreshReadAndThenWritten() {
        AtomicInteger writes = new AtomicInteger();
        Order written = ConditionalWrites.update(losing(3, writes), ORDER, o -> Optional.of(o));
        assertEquals(ORDER.outTradeNo(), written.outTradeNo());
        assertEquals(4, writes.get());
    }

    @Test
    void racesLostEveryTimeAreWriteContentionNotAStoreOutage() {
        AtomicInteger writes = new AtomicInteger();
        WriteContentionException contention = assertThrows(
                WriteContentionException.class,
                () -> ConditionalWrites.update(losing(Integer.MAX_VALUE, writes), ORDER, o -> Optional.of(o)));
        assertEquals(PaymentException.Kind.WRITE_CONTENTION, contention.kind());
        assertTrue(contention.getMessage().contains(ORDER.outTradeNo()), contention.getMessage());
        assertTrue(writes.get() > 1, "it retried before giving up");
    }
}
