package io.wxpayfn.order;

import java.util.List;

/** One page of a list: the orders, newest first, and where the next page starts (null on the last page). */
public record OrderPage(List<Order> orders, OrderPosition next) {

    public OrderPage {
        orders = List.copyOf(orders);
    }
}
