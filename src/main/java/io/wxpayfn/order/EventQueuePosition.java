package io.wxpayfn.order;

import java.time.Instant;
import java.util.Objects;

/** Where a scan of event queues stands: the key time ({@link EventQueue}) and outTradeNo of the last order read. */
public record EventQueuePosition(Instant at, String outTradeNo) {

    public EventQueuePosition {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(outTradeNo, "outTradeNo");
    }

    /** The position of {@code order} in {@code queue}. */
    public static EventQueuePosition of(EventQueue queue, Order order) {
        return new EventQueuePosition(
                queue == EventQueue.PENDING ? Outbox.dueAt(order) : Outbox.parkedAt(order), order.outTradeNo());
    }
}
