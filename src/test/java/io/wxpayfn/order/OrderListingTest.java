package io.wxpayfn.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The list rules of the domain: order of a list, what a filter selects, and what OrderService asks the store. */
class OrderListingTest {

    private static final Instant T0 = Instant.parse("2026-11-23T04:00:00Z");

    private static Order order(String outTradeNo, String openid, Instant createdAt) {
        return Order.unpaid(
                outTradeNo,
                "wxd678efh567hg6787",
                "1900000109",
                openid,
                "key-" + outTradeNo,
                "Latte",
                List.of(new OrderItem("latte", "Latte", 2800, 1)),
                createdAt.plus(Duration.ofMinutes(30)),
                createdAt);
    }

    /** What the service asked the store for, and the orders the store answers. */
    private static final class StoreCall {
        OrderFilter filter;
        OrderPosition after;
        int limit;
        List<Order> answer = List.of();
    }

    /** A service over a store that only lists, and a WeChat Pay that fails the test if it is ever called. */
    private static OrderService service(StoreCall call) {
        OrderStore store = (OrderStore) Proxy.newProxyInstance(
                OrderStore.class.getClassLoader(), new Class<?>[] {OrderStore.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("listOrders")) {
                        throw new AssertionError("listing read the store through " + method.getName());
                    }
                    call.filter = (OrderFilter) args[0];
                    call.after = (OrderPosition) args[1];
                    call.limit = (Integer) args[2];
                    return call.answer;
                });
        PaymentGateway wechatPay = (PaymentGateway) Proxy.newProxyInstance(
                PaymentGateway.class.getClassLoader(), new Class<?>[] {PaymentGateway.class}, (proxy, method, args) -> {
                    throw new AssertionError("listing called WeChat Pay: " + method.getName());
                });
        return new OrderService(
                store,
                wechatPay,
                new OrderPolicy("wxd678efh567hg6787", "1900000109", Duration.ofMinutes(30), Duration.ofDays(7)),
                Clock.fixed(T0, ZoneOffset.UTC));
    }

    @Test
    void positionsSortNewestFirstWithTiesInDescendingOutTradeNo() {
        List<OrderPosition> positions = new ArrayList<>(List.of(
                new OrderPosition(T0, "A"),
                new OrderPosition(T0.plusNanos(1), "A"),
                new OrderPosition(T0, "B"),
                new OrderPosition(T0.minusSeconds(1), "Z")));
        positions.sort(null);
        assertEquals(
                List.of(
                        new OrderPosition(T0.plusNanos(1), "A"),
                        new OrderPosition(T0, "B"),
                        new OrderPosition(T0, "A"),
                        new OrderPosition(T0.minusSeconds(1), "Z")),
                positions);
        OrderPosition b = new OrderPosition(T0, "B");
        assertTrue(b.compareTo(OrderPosition.of(order("A", "o", T0))) < 0);
        assertEquals(0, b.compareTo(OrderPosition.of(order("B", "o", T0))), "a position is its own order's");
        assertTrue(b.compareTo(OrderPosition.of(order("A", "o", T0.plusNanos(1)))) > 0);
    }

    @Test
    void payStatusTwoCoversPaidAndPartiallyRefundedAndTheOthersOneStatusEach() {
        assertEquals(EnumSet.of(OrderStatus.NOTPAY), OrderFilter.withPayStatus(1));
        assertEquals(EnumSet.of(OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED), OrderFilter.withPayStatus(2));
        assertEquals(EnumSet.of(OrderStatus.REFUNDING), OrderFilter.withPayStatus(3));
        assertEquals(EnumSet.of(OrderStatus.REFUNDED), OrderFilter.withPayStatus(4));
    }

    @Test
    void filterMatchesOwnerStatusesAndAHalfOpenCreationRange() {
        OrderFilter filter = OrderFilter.any()
                .ownedBy("o-1")
                .withStatuses(Set.of(OrderStatus.NOTPAY))
                .createdBetween(T0, T0.plusSeconds(10));
        assertTrue(filter.matches(order("A", "o-1", T0)));
        assertTrue(filter.matches(order("A", "o-1", T0.plusSeconds(10).minusNanos(1))));
        assertFalse(filter.matches(order("A", "o-1", T0.plusSeconds(10))));
        assertFalse(filter.matches(order("A", "o-1", T0.minusNanos(1))));
        assertFalse(filter.matches(order("A", "o-2", T0)));
        assertFalse(filter.matches(order("A", "o-1", T0).close(T0).orElseThrow()));
        assertTrue(OrderFilter.any().matches(order("A", null, T0)));
    }

    @Test
    void aUsersListIsNarrowedToTheirOwnOrdersWhateverOwnerTheFilterNames() {
        StoreCall call = new StoreCall();
        service(call).listOrders(Caller.user("o-me"), OrderFilter.any().ownedBy("o-them"), null, 20);
        assertEquals("o-me", call.filter.openid());

        service(call).listOrders(Caller.asOperator(), OrderFilter.any().ownedBy("o-them"), null, 20);
        assertEquals("o-them", call.filter.openid());
        service(call).listOrders(Caller.asOperator(), OrderFilter.any(), null, 20);
        assertNull(call.filter.openid(), "the operator lists every owner's orders");
    }

    @Test
    void oneOrderMoreThanThePageIsReadToKnowWhetherAnotherPageFollows() {
        StoreCall call = new StoreCall();
        Order newest = order("C", "o-me", T0.plusSeconds(2));
        Order middle = order("B", "o-me", T0.plusSeconds(1));
        Order oldest = order("A", "o-me", T0);
        OrderPosition after = new OrderPosition(T0.plusSeconds(3), "Z");

        call.answer = List.of(newest, middle, oldest);
        OrderPage page = service(call).listOrders(Caller.user("o-me"), OrderFilter.any(), after, 2);
        assertEquals(3, call.limit);
        assertEquals(after, call.after);
        assertEquals(List.of(newest, middle), page.orders());
        assertEquals(OrderPosition.of(middle), page.next());

        call.answer = List.of(newest, middle);
        page = service(call).listOrders(Caller.user("o-me"), OrderFilter.any(), null, 2);
        assertEquals(List.of(newest, middle), page.orders());
        assertNull(page.next(), "no order beyond this page");
    }

    @Test
    void aPageOfFewerThanOneOrMoreThanFiftyOrdersIsRefusedNamingLimit() {
        OrderService service = service(new StoreCall());
        for (int limit : new int[] {0, -1, OrderService.MAX_LIST_LIMIT + 1}) {
            InvalidRequestException refused = assertThrows(
                    InvalidRequestException.class,
                    () -> service.listOrders(Caller.asOperator(), OrderFilter.any(), null, limit));
            assertEquals("limit", refused.field());
        }
        service.listOrders(Caller.asOperator(), OrderFilter.any(), null, OrderService.MAX_LIST_LIMIT);
    }
}
