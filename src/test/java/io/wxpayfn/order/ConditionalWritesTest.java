package io.wxpayfn.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The read-compute-write loop: a lost race is retried on a fresh read, and endless losing is contention, not an outage. */
class ConditionalWritesTest {

    private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");
    private static final Order ORDER = Order.unpaid(
            "WX0123456789abcdef",
            "wxd678efh567hg6787",
            "1900000109",
            "openid-alice",
            "key-00000001",
            "Latte x2",
            List.of(new OrderItem("latte", "Latte", 2800, 2)),
            NOW.plus(Duration.ofMinutes(30)),
            NOW);

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
