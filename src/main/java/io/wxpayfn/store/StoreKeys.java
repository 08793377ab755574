package io.wxpayfn.store;

import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderPosition;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.Outbox;
import io.wxpayfn.order.Refund;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The indexed key values every adapter derives from an order document. */
final class StoreKeys {

    private StoreKeys() {}

    /**
     * updatedAt as nanoseconds since the epoch: a number orders correctly where ISO strings with varying fraction
     * digits would not. Instants beyond the long range (year 2262) clamp, which keeps range queries right.
     */
    static long epochNanos(Instant instant) {
        try {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (ArithmeticException outOfRange) {
            return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** The statuses of an order holding a payment, for {@code findPaidBetween}. */
    static final List<String> PAYMENT_HELD = Arrays.stream(OrderStatus.values())
            .filter(OrderStatus::holdsPayment)
            .map(Enum::name)
            .toList();

    /** The earliest updatedAt an order paid at or after {@code paidFrom} can have (see OrderStore#findPaidBetween). */
    static long updatedAtLowerBound(Instant paidFrom) {
        return epochNanos(paidFrom.minus(OrderStore.PAID_AT_UPDATE_SLACK));
    }

    static long updatedAtKey(Order order) {
        return order.updatedAt() == null ? 0 : epochNanos(order.updatedAt());
    }

    /** createdAt as epoch nanoseconds, the list's sort key; never changes over an order's life. */
    static long createdAtKey(Order order) {
        return epochNanos(OrderPosition.of(order).createdAt());
    }

    /** When the order's head event is next due, as epoch nanoseconds; null when none is pending (the due index). */
    static Long eventsDueKey(Order order) {
        Instant due = Outbox.dueAt(order);
        return due == null ? null : epochNanos(due);
    }

    /** When the order's head event was parked, as epoch nanoseconds; null when it is not (the parked index). */
    static Long eventsParkedKey(Order order) {
        Instant parked = Outbox.parkedAt(order);
        return parked == null ? null : epochNanos(parked);
    }

    /** The out_refund_no values {@code next} holds that {@code current} did not: the ones to register. */
    static List<String> newRefundNumbers(Order current, Order next) {
        Set<String> known = new HashSet<>();
        if (current != null) {
            current.refunds().forEach(r -> known.add(r.outRefundNo()));
        }
        List<String> added = new ArrayList<>();
        for (Refund refund : next.refunds()) {
            if (known.add(refund.outRefundNo())) {
                added.add(refund.outRefundNo());
            }
        }
        return added;
    }

    static void requireSameOrder(Order current, Order next) {
        if (!current.outTradeNo().equals(next.outTradeNo())) {
            throw new IllegalArgumentException("a transition keeps the outTradeNo: " + current.outTradeNo()
                    + " cannot become " + next.outTradeNo());
        }
    }
}
