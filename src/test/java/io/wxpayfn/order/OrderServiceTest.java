package io.wxpayfn.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * OrderService's rules, run on its ports alone: the in-memory store (which passes the store contract), a scripted
 * WeChat Pay and a fixed clock. No Quarkus, no simulator: what is proven here is the service's own logic.
 */
class OrderServiceTest {

    private static final String APPID = "wxd678efh567hg6787";
    private static final String MCHID = "1900000109";
    private static final Instant NOW = Instant.parse("2026-11-23T04:00:00Z");
    private static final String ALICE = "openid-alice";
    private static final String BOB = "openid-bob";

    private final InMemoryOrderStore store = new InMemoryOrderStore();
    private final ScriptedGateway gateway = new ScriptedGateway();
    private final OrderService service = serviceAt(NOW);

    OrderServiceTest() {
        store.saveProducts(List.of(
                new Product("latte", "Latte", 2800, true),
                new Product("cake", "Cake", 1500, true),
                new Product("retired", "Old blend", 900, false)));
    }

    private OrderService serviceAt(Instant now) {
        return new OrderService(
                store,
                gateway,
                new OrderPolicy(APPID, MCHID, Duration.ofMinutes(30), Duration.ofDays(7)),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private Order place(String openid, String key, LineRequest... lines) {
        return service.placeOrder(openid, List.of(lines), key).order();
    }

    private static PaymentSnapshot paid(Order order, long total) {
        return DirectSnapshots.payment(
                APPID,
                MCHID,
                order.outTradeNo(),
                "4200000001" + order.outTradeNo(),
                "SUCCESS",
                total,
                total,
                order.openid(),
                NOW.plusSeconds(20));
    }

    /** Alice's order of 2 lattes and a cake (7100 fen), paid by notification. */
    private Order paidOrder() {
        Order placed = place(ALICE, "key-paid", new LineRequest("latte", 2), new LineRequest("cake", 1));
        return service.applyPaymentNotification("notify-pay", paid(placed, placed.total()));
    }

    @Test
    void placingAnOrderPricesEachLineFromTheCatalogueAndAsksWeChatPayForThatTotal() {
        PlacedOrder placed =
                service.placeOrder(ALICE, List.of(new LineRequest("latte", 2), new LineRequest("cake", 1)), "key-1");

        Order order = placed.order();
        assertEquals(
                List.of(new OrderItem("latte", "Latte", 2800, 2), new OrderItem("cake", "Cake", 1500, 1)),
                order.items());
        assertEquals(2 * 2800 + 1500, order.total());
        assertEquals(OrderStatus.NOTPAY, order.status());
        assertEquals("wx-prepay-" + order.outTradeNo(), order.prepayId());
        assertNotNull(placed.payment());
        assertEquals(List.of("prepay " + order.outTradeNo()), gateway.calls("prepay"));
        assertEquals(order, store.find(order.outTradeNo()).orElseThrow());
    }

    @Test
    void aCatalogueChangeRepricesTheNextOrderNotOneAlreadyPlaced() {
        Order before = place(ALICE, "key-1", new LineRequest("latte", 1));
        store.saveProducts(List.of(new Product("latte", "Latte", 3100, true)));
        Order after = place(ALICE, "key-2", new LineRequest("latte", 1));

        assertEquals(2800, before.total());
        assertEquals(2800, store.find(before.outTradeNo()).orElseThrow().total());
        assertEquals(3100, after.total());
    }

    @Test
    void aProductNotInTheCatalogueOrNoLongerSoldIsRefusedAndNothingIsStoredOrPrepaid() {
        for (String product : List.of("no-such-product", "retired")) {
            InvalidRequestException refused = assertThrows(
                    InvalidRequestException.class,
                    () -> place(ALICE, "key-" + product, new LineRequest("latte", 1), new LineRequest(product, 1)));
            assertEquals("items[1].productId", refused.field());
        }
        assertTrue(store.snapshot().isEmpty());
        assertEquals(List.of(), gateway.calls("prepay"));
    }

    @Test
    void replayingAnIdempotencyKeyWithTheSameLinesReturnsTheSameOrder() {
        Order first = place(ALICE, "key-1", new LineRequest("latte", 2));
        Order again = place(ALICE, "key-1", new LineRequest("latte", 2));

        assertEquals(first.outTradeNo(), again.outTradeNo());
        assertEquals(first, again);
        assertEquals(1, store.snapshot().size());
    }

    @Test
    void replayingAnIdempotencyKeyWithOtherLinesIsAConflictAndLeavesTheOrderAsItWas() {
        Order first = place(ALICE, "key-1", new LineRequest("latte", 2));

        assertThrows(IdempotencyConflictException.class, () -> place(ALICE, "key-1", new LineRequest("latte", 3)));
        assertThrows(IdempotencyConflictException.class, () -> place(ALICE, "key-1", new LineRequest("cake", 2)));
        assertEquals(first, store.find(first.outTradeNo()).orElseThrow());
        assertEquals(1, store.snapshot().size());
    }

    @Test
    void anotherUsersSameIdempotencyKeyNamesAnotherOrder() {
        Order alices = place(ALICE, "key-1", new LineRequest("latte", 1));
        Order bobs = place(BOB, "key-1", new LineRequest("latte", 1));

        assertNotEquals(alices.outTradeNo(), bobs.outTradeNo());
        assertEquals(BOB, bobs.openid());
    }

    @Test
    void replayingTheKeyOfAPaidOrderReturnsItWithoutAnotherPrepay() {
        Order paid = paidOrder();
        PlacedOrder replay =
                service.placeOrder(ALICE, List.of(new LineRequest("latte", 2), new LineRequest("cake", 1)), "key-paid");

        assertEquals(paid, replay.order());
        assertEquals(null, replay.payment());
        assertEquals(1, gateway.calls("prepay").size());
    }

    @Test
    void aUserCannotSeeCloseOrRefundAnotherUsersOrderWhichLooksAbsent() {
        Order unpaid = place(ALICE, "key-unpaid", new LineRequest("cake", 1));
        Order paid = paidOrder();
        Order refunded = service.refund(Caller.asOperator(), paid.outTradeNo(), 100L, null, null)
                .order();
        Caller bob = Caller.user(BOB);
        List<String> callsBefore = List.copyOf(gateway.calls);

        assertThrows(NotFoundException.class, () -> service.getOrder(bob, unpaid.outTradeNo()));
        assertThrows(NotFoundException.class, () -> service.closeOrder(bob, unpaid.outTradeNo()));
        assertThrows(NotFoundException.class, () -> service.refund(bob, paid.outTradeNo(), null, null, null));
        assertThrows(
                NotFoundException.class,
                () -> service.getRefund(bob, refunded.refunds().get(0).outRefundNo()));
        assertEquals(
                0,
                service.listOrders(bob, OrderFilter.any().ownedBy(ALICE), null, 10)
                        .orders()
                        .size());

        assertEquals(callsBefore, gateway.calls, "WeChat Pay was not asked");
        assertEquals(unpaid, store.find(unpaid.outTradeNo()).orElseThrow());
        assertEquals(refunded, store.find(paid.outTradeNo()).orElseThrow());
        assertEquals(
                OrderStatus.NOTPAY,
                service.getOrder(Caller.user(ALICE), unpaid.outTradeNo()).status());
    }

    @Test
    void aPaidNotificationWithAnotherAmountDoesNotMarkTheOrderPaidAndRaisesAnAlert() {
        Order placed = place(ALICE, "key-1", new LineRequest("latte", 1));

        assertThrows(
                NotificationMismatchException.class,
                () -> service.applyPaymentNotification("notify-1", paid(placed, 1)));

        Order stored = store.find(placed.outTradeNo()).orElseThrow();
        assertEquals(OrderStatus.NOTPAY, stored.status());
        assertEquals(null, stored.transactionId());
        assertEquals(
                List.of(OrderEventType.ORDER_ALERT),
                stored.events().stream().map(OrderEvent::type).toList());
    }

    @Test
    void aDuplicatePaymentNotificationChangesNothing() {
        Order placed = place(ALICE, "key-1", new LineRequest("latte", 1));
        Order paid = service.applyPaymentNotification("notify-1", paid(placed, 2800));
        assertEquals(OrderStatus.PAID, paid.status());

        Order again = service.applyPaymentNotification("notify-1", paid(placed, 2800));

        assertEquals(paid, again);
        assertEquals(paid, store.find(placed.outTradeNo()).orElseThrow());
        assertEquals(1, paid.events().size(), "one ORDER_PAID event, not two");
    }

    @Test
    void aRefundAboveWhatRemainsIsRefusedAndNotSentToWeChatPay() {
        Order paid = paidOrder();
        RefundResult first = service.refund(Caller.asOperator(), paid.outTradeNo(), 5000L, "broken cup", null);
        assertEquals(2100, first.order().refundableRemainder());

        assertThrows(
                RefundLimitExceededException.class,
                () -> service.refund(Caller.asOperator(), paid.outTradeNo(), 2101L, null, null));

        assertEquals(1, gateway.calls("refund").size());
        assertEquals(first.order(), store.find(paid.outTradeNo()).orElseThrow());
    }

    /** Runs {@code call} from {@code racers} threads released at once; their outcomes, all complete. */
    private static <T> List<Future<T>> race(int racers, Callable<T> call) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<T>> outcomes = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS), "the racers finished");
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentRefundsOfOneOrderNeverTogetherExceedItsTotal() throws Exception {
        Order paid = paidOrder(); // 7100 fen: room for three refunds of 2000
        int accepted = 0;
        for (Future<RefundResult> outcome :
                race(8, () -> service.refund(Caller.asOperator(), paid.outTradeNo(), 2000L, null, null))) {
            try {
                outcome.get();
                accepted++;
            } catch (ExecutionException e) {
                assertEquals(RefundLimitExceededException.class, e.getCause().getClass(), e.toString());
            }
        }
        assertEquals(3, accepted);

        Order stored = store.find(paid.outTradeNo()).orElseThrow();
        assertEquals(3, stored.refunds().size());
        assertEquals(6000, stored.refunds().stream().mapToLong(Refund::amount).sum());
        assertEquals(1100, stored.refundableRemainder());
        assertEquals(3, gateway.calls("refund").size(), "only the reserved refunds were applied for");
    }

    @Test
    void identicalOwnerRefundsAtOnceAllGetTheOneWholeRefund() throws Exception {
        Order paid = paidOrder();
        for (Future<RefundResult> outcome :
                race(6, () -> service.refund(Caller.user(ALICE), paid.outTradeNo(), null, "changed my mind", null))) {
            RefundResult result = outcome.get();
            assertEquals(paid.outTradeNo() + "R01", result.refund().outRefundNo());
            assertEquals(paid.total(), result.refund().amount());
        }
        assertEquals(1, store.find(paid.outTradeNo()).orElseThrow().refunds().size());
    }

    @Test
    void anOwnerMayRefundOnlyTheWholeOrderAndOnlyWithinTheRefundWindow() {
        Order paid = paidOrder();
        Caller alice = Caller.user(ALICE);

        assertThrows(
                RefundNotAllowedException.class,
                () -> service.refund(alice, paid.outTradeNo(), paid.total() - 1, null, null));
        assertThrows(
                RefundNotAllowedException.class,
                () -> serviceAt(paid.paidAt().plus(Duration.ofDays(7)).plusSeconds(1))
                        .refund(alice, paid.outTradeNo(), null, null, null));
        assertEquals(List.of(), gateway.calls("refund"));

        RefundResult whole =
                serviceAt(paid.paidAt().plus(Duration.ofDays(7))).refund(alice, paid.outTradeNo(), null, null, null);
        assertEquals(paid.total(), whole.refund().amount());
        assertEquals(OrderStatus.REFUNDING, whole.order().status());
    }

    @Test
    void closingAPaidOrderIsRefusedWithoutAskingWeChatPay() {
        Order paid = paidOrder();

        assertThrows(StateConflictException.class, () -> service.closeOrder(Caller.user(ALICE), paid.outTradeNo()));

        assertEquals(List.of(), gateway.calls("close"));
        assertEquals(paid, store.find(paid.outTradeNo()).orElseThrow());
    }

    @Test
    void closingAnUnpaidOrderClosesItAtWeChatPayThenInTheStoreAndAgainChangesNothing() {
        Order placed = place(ALICE, "key-1", new LineRequest("latte", 1));

        Order closed = service.closeOrder(Caller.user(ALICE), placed.outTradeNo());
        Order again = service.closeOrder(Caller.user(ALICE), placed.outTradeNo());

        assertEquals(OrderStatus.CLOSED, closed.status());
        assertEquals(closed, again);
        assertEquals(List.of("close " + placed.outTradeNo()), gateway.calls("close"));
    }

    @Test
    void aCloseThatLosesToAPaymentAtWeChatPayAppliesThePaymentAndIsRefused() {
        Order placed = place(ALICE, "key-1", new LineRequest("latte", 1));
        gateway.refuseClose("ORDERPAID");
        gateway.answerPayment(paid(placed, 2800));

        assertThrows(StateConflictException.class, () -> service.closeOrder(Caller.user(ALICE), placed.outTradeNo()));

        assertEquals(
                OrderStatus.PAID, store.find(placed.outTradeNo()).orElseThrow().status());
    }
}
