package io.wxpayfn.order;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which orders a list asks for. Every part is optional: a null {@code openid} is any owner, an empty
 * {@code statuses} any status, a null bound no bound. The creation range is half-open:
 * {@code createdFrom <= createdAt < createdTo}.
 */
public record OrderFilter(String openid, Set<OrderStatus> statuses, Instant createdFrom, Instant createdTo) {

    public OrderFilter {
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(statuses);
    }

    public static OrderFilter any() {
        return new OrderFilter(null, Set.of(), null, null);
    }

    /** Every status showing this numeric payStatus: 2 is both PAID and PARTIALLY_REFUNDED. */
    public static Set<OrderStatus> withPayStatus(int payStatus) {
        Set<OrderStatus> statuses = EnumSet.noneOf(OrderStatus.class);
        for (OrderStatus status : OrderStatus.values()) {
            if (status.payStatus() == payStatus) {
                statuses.add(status);
            }
        }
        return statuses;
    }

    /** The same filter narrowed to one owner's orders. */
    public OrderFilter ownedBy(String owner) {
        return new OrderFilter(owner, statuses, createdFrom, createdTo);
    }

    public OrderFilter withStatuses(Set<OrderStatus> newStatuses) {
        return new OrderFilter(openid, newStatuses, createdFrom, createdTo);
    }

    public OrderFilter createdBetween(Instant from, Instant to) {
        return new OrderFilter(openid, statuses, from, to);
    }

    /** True when the order passes every part of the filter (what each store's query selects). */
    public boolean matches(Order order) {
        Instant created = OrderPosition.of(order).createdAt();
        return (openid == null || openid.equals(order.openid()))
                && (statuses.isEmpty() || statuses.contains(order.status()))
                && (createdFrom == null || !created.isBefore(createdFrom))
                && (createdTo == null || created.isBefore(createdTo));
    }
}
