package io.wxpayfn.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderItem;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.PaymentSnapshot;
import io.wxpayfn.order.Product;
import io.wxpayfn.order.Refund;
import io.wxpayfn.order.RefundLimitExceededException;
import io.wxpayfn.order.RefundSnapshot;
import io.wxpayfn.order.RefundStatus;
import io.wxpayfn.order.StateConflictException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link OrderStore} adapter must show; each adapter's test extends this. */
abstract class OrderStoreContract {

    static final String MCHID = "1900000109";
    static final String APPID = "wx0000000000000001";
    static final Instant T0 = Instant.parse("2025-03-01T08:00:00.123456Z");

    protected OrderStore store;

    /** An adapter over an empty store. */
    protected abstract OrderStore openEmptyStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = openEmptyStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static Order unpaid(String outTradeNo, long price, Instant now) {
        return Order.unpaid(outTradeNo, APPID, MCHID, "openid-" + outTradeNo, "idem-" + outTradeNo, "coffee",
                List.of(new OrderItem("p1", "coffee", price, 1)), now.plus(2, ChronoUnit.HOURS), now);
    }

    static PaymentSnapshot paidSnapshot(Order order) {
        return new PaymentSnapshot(APPID, MCHID, order.outTradeNo(), "4200000000" + order.outTradeNo(), "SUCCESS",
                order.total(), order.total(), order.openid(), T0.plusSeconds(30));
    }

    /** Stores an unpaid order and moves it to PAID through the store; returns what is stored. */
    Order storedPaidOrder(String outTradeNo, long total) {
        Order created = store.createIfAbsent(unpaid(outTradeNo, total, T0));
        Order paid = created.applyPayment(paidSnapshot(created), "notify-pay-" + outTradeNo, T0.plusSeconds(31))
                .orElseThrow();
        assertTrue(store.replaceIfCurrent(created, paid));
        return store.find(outTradeNo).orElseThrow();
    }

    @Test
    void secondCreateOfTheSameOrderReturnsTheFirstDocumentUnchanged() {
        Order first = unpaid("T1001", 500, T0);
        assertEquals(first, store.createIfAbsent(first));

        Order rival = unpaid("T1001", 900, T0.plusSeconds(5));
        assertEquals(first, store.createIfAbsent(rival));
        assertEquals(Optional.of(first), store.find("T1001"));
    }

    @Test
    void unknownKeysFindNothing() {
        assertEquals(Optional.empty(), store.find("NO-SUCH-ORDER"));
        assertEquals(Optional.empty(), store.findByOutRefundNo("NO-SUCH-REFUND"));
        assertEquals(Optional.empty(), store.findProduct("no-such-product"));
    }

    @Test
    void transitionOfAnUnknownOrderIsNotWritten() {
        Order ghost = unpaid("T-GHOST", 100, T0);
        assertFalse(store.replaceIfCurrent(ghost, ghost.withPrepay("wx-prepay", T0).orElseThrow()));
        assertEquals(Optional.empty(), store.find("T-GHOST"));
    }

    @Test
    void sixteenConcurrentTransitionsFromOneVersionHaveExactlyOneWinner() throws Exception {
        Order current = store.createIfAbsent(unpaid("T2001", 100, T0));
        int writers = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Order next = current.withPrepay("wx-prepay-" + i, T0.plusSeconds(1)).orElseThrow();
                Callable<Boolean> write = () -> {
                    start.await();
                    return store.replaceIfCurrent(current, next);
                };
                outcomes.add(pool.submit(write));
            }
            start.countDown();
            List<Integer> winners = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                if (outcomes.get(i).get()) {
                    winners.add(i);
                }
            }
            assertEquals(1, winners.size(), "winners: " + winners);
            Order stored = store.find("T2001").orElseThrow();
            assertEquals(current.version() + 1, stored.version());
            assertEquals("wx-prepay-" + winners.get(0), stored.prepayId());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void transitionComputedFromAStaleVersionLosesAndChangesNothing() {
        Order current = store.createIfAbsent(unpaid("T3001", 100, T0));
        Order first = current.withPrepay("wx-prepay-a", T0.plusSeconds(1)).orElseThrow();
        Order stale = current.withPrepay("wx-prepay-b", T0.plusSeconds(2)).orElseThrow();

        assertTrue(store.replaceIfCurrent(current, first));
        assertFalse(store.replaceIfCurrent(current, stale));
        assertEquals(Optional.of(first), store.find("T3001"));
    }

    @Test
    void transitionFromAStaleStatusLosesEvenAtTheSameVersion() {
        Order current = store.createIfAbsent(unpaid("T3002", 100, T0));
        Order claimedClosed = new Order(current.outTradeNo(), current.appid(), current.mchid(), current.openid(),
                current.idempotencyKey(), current.description(), current.items(), current.total(), OrderStatus.CLOSED,
                null, current.expiresAt(), null, null, null, List.of(), List.of(), current.createdAt(),
                current.updatedAt(), current.version());
        Order next = current.close(T0.plusSeconds(1)).orElseThrow();

        assertFalse(store.replaceIfCurrent(claimedClosed, next));
        assertEquals(Optional.of(current), store.find("T3002"));
    }

    @Test
    void refundsAccumulateThroughTheStoreUpToTheOrderTotal() {
        Order paid = storedPaidOrder("T4001", 1000);

        Order withFirst = paid.requestRefund(paid.nextOutRefundNo(), 400, "broken cup", "owner", T0.plusSeconds(60));
        assertTrue(store.replaceIfCurrent(paid, withFirst));
        Order reloaded = store.find("T4001").orElseThrow();
        assertEquals(600, reloaded.refundableRemainder());

        Order withSecond = reloaded.requestRefund(reloaded.nextOutRefundNo(), 600, null, "operator", T0.plusSeconds(61));
        assertTrue(store.replaceIfCurrent(reloaded, withSecond));
        Order full = store.find("T4001").orElseThrow();
        assertEquals(0, full.refundableRemainder());
        assertThrows(RefundLimitExceededException.class,
                () -> full.requestRefund(full.nextOutRefundNo(), 1, null, "owner", T0.plusSeconds(62)));

        Order current = full;
        for (Refund refund : full.refunds()) {
            RefundSnapshot success = new RefundSnapshot(MCHID, "T4001", current.transactionId(), refund.outRefundNo(),
                    "50300" + refund.outRefundNo(), RefundStatus.SUCCESS, refund.amount(), 1000, T0.plusSeconds(90));
            Order next = current.applyRefund(success, "notify-" + refund.outRefundNo(), T0.plusSeconds(90))
                    .orElseThrow();
            assertTrue(store.replaceIfCurrent(current, next));
            current = store.find("T4001").orElseThrow();
        }
        assertEquals(OrderStatus.REFUNDED, current.status());
        assertEquals(1000, current.refundedTotal());
        assertEquals(paid.version() + 4, current.version());
    }

    @Test
    void orderIsFoundByEachOfItsRefundNumbers() {
        Order paid = storedPaidOrder("T5001", 1000);
        Order one = paid.requestRefund("T5001R01", 100, null, "owner", T0.plusSeconds(60));
        assertTrue(store.replaceIfCurrent(paid, one));
        Order two = one.requestRefund("T5001R02", 100, null, "owner", T0.plusSeconds(61));
        assertTrue(store.replaceIfCurrent(one, two));
        storedPaidOrder("T5002", 300);

        assertEquals(Optional.of(two), store.findByOutRefundNo("T5001R01"));
        assertEquals(Optional.of(two), store.findByOutRefundNo("T5001R02"));
        assertEquals(Optional.empty(), store.findByOutRefundNo("T5002R01"));
    }

    @Test
    void refundNumberHeldByAnotherOrderIsRefusedAndNothingIsWritten() {
        Order first = storedPaidOrder("T5101", 1000);
        assertTrue(store.replaceIfCurrent(first, first.requestRefund("SHARED-R1", 100, null, "owner", T0)));
        Order second = storedPaidOrder("T5102", 1000);
        Order clash = second.requestRefund("SHARED-R1", 100, null, "owner", T0);

        assertThrows(StateConflictException.class, () -> store.replaceIfCurrent(second, clash));
        assertEquals(Optional.of(second), store.find("T5102"));
        assertEquals("T5101", store.findByOutRefundNo("SHARED-R1").orElseThrow().outTradeNo());
    }

    @Test
    void notificationAlreadyAppliedGivesNoSecondWrite() {
        Order created = store.createIfAbsent(unpaid("T6001", 700, T0));
        Order paid = created.applyPayment(paidSnapshot(created), "notify-1", T0.plusSeconds(31)).orElseThrow();
        assertTrue(store.replaceIfCurrent(created, paid));

        Order stored = store.find("T6001").orElseThrow();
        assertTrue(stored.hasApplied("notify-1"));
        assertEquals(Optional.empty(), stored.applyPayment(paidSnapshot(stored), "notify-1", T0.plusSeconds(40)));
        assertEquals(Optional.of(paid), store.find("T6001"));
    }

    @Test
    void sweepPagesThroughMatchingStatusesAndAgeInOutTradeNoOrder() {
        Instant cutoff = T0.plusSeconds(600);
        store.createIfAbsent(unpaid("S05", 100, T0));
        store.createIfAbsent(unpaid("S01", 100, T0.plusSeconds(599)));
        store.createIfAbsent(unpaid("S03", 100, cutoff));
        store.createIfAbsent(unpaid("S02", 100, cutoff.plusNanos(1000)));
        store.createIfAbsent(unpaid("S04", 100, T0.plusSeconds(900)));
        Order refunding = storedPaidOrder("S06", 100);
        assertTrue(store.replaceIfCurrent(refunding, refunding.requestRefund("S06R01", 100, null, "owner", T0)));
        storedPaidOrder("S07", 100);
        Order closed = store.createIfAbsent(unpaid("S08", 100, T0));
        assertTrue(store.replaceIfCurrent(closed, closed.close(T0.plusSeconds(1)).orElseThrow()));

        Set<OrderStatus> swept = EnumSet.of(OrderStatus.NOTPAY, OrderStatus.REFUNDING);
        List<Order> firstPage = store.findByStatus(swept, cutoff, null, 2);
        assertEquals(List.of("S01", "S03"), keys(firstPage));
        List<Order> secondPage = store.findByStatus(swept, cutoff, "S03", 2);
        assertEquals(List.of("S05", "S06"), keys(secondPage));
        assertEquals(List.of(), store.findByStatus(swept, cutoff, "S06", 2));
        assertEquals(List.of("S07"), keys(store.findByStatus(EnumSet.of(OrderStatus.PAID), cutoff, null, 10)));
        assertEquals(List.of(), store.findByStatus(EnumSet.noneOf(OrderStatus.class), cutoff, null, 10));
        assertEquals(List.of(), store.findByStatus(swept, T0.minusSeconds(1), null, 10));
    }

    @Test
    void orderWithFiftyRefundsAndLongTextRoundTripsExactly() {
        String longText = "长描述 long description ".repeat(200);
        List<Refund> refunds = new ArrayList<>();
        for (int i = 1; i <= Order.MAX_REFUNDS; i++) {
            refunds.add(new Refund(String.format("BIG1R%02d", i), 10, RefundStatus.SUCCESS, "50300000" + i,
                    longText.substring(0, 80), "operator", null, T0.plusSeconds(i), T0.plusSeconds(i + 1)));
        }
        List<String> notifications = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            notifications.add("notify-" + i);
        }
        Order big = new Order("BIG1", APPID, MCHID, "openid-big", "idem-big", longText,
                List.of(new OrderItem("p1", longText.substring(0, 100), 1000, 1)), 1000, OrderStatus.PARTIALLY_REFUNDED,
                "wx-prepay", T0.plusSeconds(7200), "4200000001", 1000L, T0.plusSeconds(30), refunds, notifications,
                T0, T0.plusSeconds(100), 57);

        assertEquals(big, store.createIfAbsent(big));
        assertEquals(Optional.of(big), store.find("BIG1"));
        assertEquals(Optional.of(big), store.findByOutRefundNo("BIG1R50"));
        assertThrows(RefundLimitExceededException.class,
                () -> big.requestRefund(big.nextOutRefundNo(), 10, null, "owner", T0));
    }

    @Test
    void productsAreSavedReplacedAndFound() {
        store.saveProducts(List.of(new Product("p1", "Coffee", 1200, true), new Product("p2", "Tea", 800, true)));
        store.saveProducts(List.of(new Product("p2", "Green tea", 900, false)));

        assertEquals(Optional.of(new Product("p1", "Coffee", 1200, true)), store.findProduct("p1"));
        assertEquals(Optional.of(new Product("p2", "Green tea", 900, false)), store.findProduct("p2"));
    }

    @Test
    void replacingTheCatalogueDeactivatesEveryProductItNoLongerLists() {
        store.saveProducts(List.of(new Product("p1", "Coffee", 1200, true), new Product("p2", "Tea", 800, true),
                new Product("p3", "Cake", 2000, true)));

        store.replaceCatalogue(List.of(new Product("p2", "Green tea", 900, true), new Product("p4", "Mug", 4500, true)));

        assertEquals(Optional.of(new Product("p1", "Coffee", 1200, false)), store.findProduct("p1"));
        assertEquals(Optional.of(new Product("p2", "Green tea", 900, true)), store.findProduct("p2"));
        assertEquals(Optional.of(new Product("p3", "Cake", 2000, false)), store.findProduct("p3"));
        assertEquals(Optional.of(new Product("p4", "Mug", 4500, true)), store.findProduct("p4"));

        store.replaceCatalogue(List.of());
        assertEquals(false, store.findProduct("p2").orElseThrow().active(), "an empty file sells nothing");
    }

    @Test
    void unicodeTextRoundTrips() {
        String text = "微信支付 • Café ☕ 😀 \"quoted\" back\\slash \t tab ñ — 日本語";
        Order order = Order.unpaid("T7001", APPID, MCHID, "o-😀", "idem-ü", text,
                List.of(new OrderItem("p-ü", text, 1, 2)), T0.plusSeconds(60), T0);
        store.createIfAbsent(order);
        store.saveProducts(List.of(new Product("p-ü", text, 1, true)));

        assertEquals(Optional.of(order), store.find("T7001"));
        assertEquals(text, store.findProduct("p-ü").orElseThrow().name());
    }

    private static List<String> keys(List<Order> orders) {
        return orders.stream().map(Order::outTradeNo).toList();
    }
}
