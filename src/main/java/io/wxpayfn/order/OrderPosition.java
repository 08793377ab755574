package io.wxpayfn.order;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * Where an order stands in a list: newest first by createdAt, ties broken by outTradeNo, both descending. Both
 * parts never change over an order's life, so a list paged from a position neither skips nor repeats an order
 * however many are placed or change state meanwhile.
 */
public record OrderPosition(Instant createdAt, String outTradeNo) implements Comparable<OrderPosition> {

    /** Newest first: a position sorts before every older one. */
    public static final Comparator<OrderPosition> NEWEST_FIRST = Comparator.comparing(OrderPosition::createdAt)
            .thenComparing(OrderPosition::outTradeNo)
            .reversed();

    public OrderPosition {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(outTradeNo, "outTradeNo");
    }

    /** An order's position; an order without a creation time (none are made so) sorts as created at the epoch. */
    public static OrderPosition of(Order order) {
        return new OrderPosition(order.createdAt() == null ? Instant.EPOCH : order.createdAt(), order.outTradeNo());
    }

    @Override
    public int compareTo(OrderPosition other) {
        return NEWEST_FIRST.compare(this, other);
    }
}
