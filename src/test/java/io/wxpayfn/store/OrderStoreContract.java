package io.wxpayfn.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.DeliverySchedule;
import io.wxpayfn.order.DirectSnapshots;
import io.wxpayfn.order.EventQueue;
import io.wxpayfn.order.EventQueuePosition;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderEvent;
import io.wxpayfn.order.OrderEventType;
import io.wxpayfn.order.OrderFilter;
import io.wxpayfn.order.OrderItem;
import io.wxpayfn.order.OrderPosition;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.Outbox;
import io.wxpayfn.order.PaymentSnapshot;
import io.wxpayfn.order.Product;
import io.wxpayfn.order.Refund;
import io.wxpayfn.order.RefundLimitExceededException;
import io.wxpayfn.order.RefundSnapshot;
import io.wxpayfn.order.RefundStatus;
import io.wxpayfn.order.StateConflictException;
import io.wxpayfn.order.SubMerchant;
import io.wxpayfn.order.WeChatPayRules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
        return Order.unpaid(
                outTradeNo,
                APPID,
                MCHID,
                "openid-" + outTradeNo,
                "idem-" + outTradeNo,
                "coffee",
                List.of(new OrderItem("p1", "coffee", price, 1)),
                now.plus(2, ChronoUnit.HOURS),
                now);
    }

    static PaymentSnapshot paidSnapshot(Order order) {
        return DirectSnapshots.payment(
                APPID,
                MCHID,
                order.outTradeNo(),
                "4200000000" + order.outTradeNo(),
                "SUCCESS",
                order.total(),
                order.total(),
                order.openid(),
                T0.plusSeconds(30));
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
        assertFalse(
                store.replaceIfCurrent(ghost, ghost.withPrepay("wx-prepay", T0).orElseThrow()));
        assertEquals(Optional.empty(), store.find("T-GHOST"));
    }

    /** Writes each of {@code nexts} from {@code current} at once, from as many threads; which writes won. */
    private List<Boolean> writeConcurrently(Order current, List<Order> nexts) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(nexts.size());
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (Order next : nexts) {
                Callable<Boolean> write = () -> {
                    start.await();
                    return store.replaceIfCurrent(current, next);
                };
                outcomes.add(pool.submit(write));
            }
            start.countDown();
            List<Boolean> won = new ArrayList<>();
            for (Future<Boolean> outcome : outcomes) {
                won.add(outcome.get());
            }
            return won;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sixteenConcurrentTransitionsFromOneVersionHaveExactlyOneWinner() throws Exception {
        Order current = store.createIfAbsent(unpaid("T2001", 100, T0));
        int writers = 16;
        List<Order> nexts = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            nexts.add(current.withPrepay("wx-prepay-" + i, T0.plusSeconds(1)).orElseThrow());
        }
        List<Boolean> won = writeConcurrently(current, nexts);
        List<Integer> winners = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            if (won.get(i)) {
                winners.add(i);
            }
        }
        assertEquals(1, winners.size(), "winners: " + winners);
        Order stored = store.find("T2001").orElseThrow();
        assertEquals(current.version() + 1, stored.version());
        assertEquals("wx-prepay-" + winners.get(0), stored.prepayId());
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
        Order claimedClosed = new Order(
                current.outTradeNo(),
                current.appid(),
                current.mchid(),
                current.subMerchant(),
                current.openid(),
                current.idempotencyKey(),
                current.description(),
                current.items(),
                current.total(),
                OrderStatus.CLOSED,
                null,
                current.expiresAt(),
                null,
                null,
                null,
                List.of(),
                List.of(),
                current.createdAt(),
                current.updatedAt(),
                null,
                current.version(),
                List.of());
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

        Order withSecond =
                reloaded.requestRefund(reloaded.nextOutRefundNo(), 600, null, "operator", T0.plusSeconds(61));
        assertTrue(store.replaceIfCurrent(reloaded, withSecond));
        Order full = store.find("T4001").orElseThrow();
        assertEquals(0, full.refundableRemainder());
        assertThrows(
                RefundLimitExceededException.class,
                () -> full.requestRefund(full.nextOutRefundNo(), 1, null, "owner", T0.plusSeconds(62)));

        Order current = full;
        for (Refund refund : full.refunds()) {
            RefundSnapshot success = DirectSnapshots.refund(
                    MCHID,
                    "T4001",
                    current.transactionId(),
                    refund.outRefundNo(),
                    "50300" + refund.outRefundNo(),
                    RefundStatus.SUCCESS,
                    refund.amount(),
                    1000,
                    T0.plusSeconds(90));
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
        Order paid = created.applyPayment(paidSnapshot(created), "notify-1", T0.plusSeconds(31))
                .orElseThrow();
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
        assertTrue(
                store.replaceIfCurrent(closed, closed.close(T0.plusSeconds(1)).orElseThrow()));

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

    /** Stores an unpaid order and moves it to PAID with WeChat Pay's success time {@code paidAt}. */
    Order storedOrderPaidAt(String outTradeNo, Instant paidAt) {
        Order created = store.createIfAbsent(unpaid(outTradeNo, 100, paidAt.minusSeconds(60)));
        PaymentSnapshot payment = DirectSnapshots.payment(
                APPID, MCHID, outTradeNo, "4200000000" + outTradeNo, "SUCCESS", 100L, 100L, created.openid(), paidAt);
        Order paid = created.applyPayment(payment, "notify-" + outTradeNo, paidAt.plusSeconds(2))
                .orElseThrow();
        assertTrue(store.replaceIfCurrent(created, paid));
        return paid;
    }

    @Test
    void paidOrdersAreFoundByWhenTheyWerePaidWhateverHappenedToThemSince() {
        Instant dayStart = Instant.parse("2025-03-01T16:00:00Z");
        Instant dayEnd = dayStart.plus(1, ChronoUnit.DAYS);
        storedOrderPaidAt("P01", dayStart.minusNanos(1000));
        storedOrderPaidAt("P02", dayStart);
        storedOrderPaidAt("P03", dayStart.plusSeconds(3600).plusNanos(123_456_789));
        Order refunded = storedOrderPaidAt("P04", dayEnd.minusNanos(1000));
        Order refunding = refunded.requestRefund("P04R01", 100, null, "operator", dayEnd.plusSeconds(86_400));
        assertTrue(store.replaceIfCurrent(refunded, refunding));
        RefundSnapshot paidBack = DirectSnapshots.refund(
                MCHID,
                "P04",
                refunded.transactionId(),
                "P04R01",
                "50300P04R01",
                RefundStatus.SUCCESS,
                100,
                100,
                dayEnd.plusSeconds(86_500));
        assertTrue(store.replaceIfCurrent(
                refunding,
                refunding
                        .applyRefund(paidBack, "notify-refund-P04", dayEnd.plusSeconds(86_500))
                        .orElseThrow()));
        storedOrderPaidAt("P05", dayEnd);
        store.createIfAbsent(unpaid("P06", 100, dayStart.plusSeconds(10)));
        Order closed = store.createIfAbsent(unpaid("P07", 100, dayStart.plusSeconds(20)));
        assertTrue(store.replaceIfCurrent(
                closed, closed.close(dayStart.plusSeconds(30)).orElseThrow()));

        assertEquals(List.of("P02", "P03"), keys(store.findPaidBetween(dayStart, dayEnd, null, 2)));
        assertEquals(List.of("P04"), keys(store.findPaidBetween(dayStart, dayEnd, "P03", 2)));
        assertEquals(OrderStatus.REFUNDED, store.find("P04").orElseThrow().status());
        assertEquals(List.of(), store.findPaidBetween(dayStart, dayEnd, "P04", 2));
        assertEquals(List.of("P01"), keys(store.findPaidBetween(dayStart.minusSeconds(1), dayStart, null, 10)));
        assertEquals(List.of(), store.findPaidBetween(dayStart, dayEnd, null, 0));
    }

    @Test
    void orderWithFiftyRefundsAndLongTextRoundTripsExactly() {
        String longText = "长描述 long description ".repeat(200);
        List<Refund> refunds = new ArrayList<>();
        for (int i = 1; i <= WeChatPayRules.MAX_REFUNDS_PER_ORDER; i++) {
            refunds.add(new Refund(
                    String.format("BIG1R%02d", i),
                    10,
                    RefundStatus.SUCCESS,
                    "50300000" + i,
                    longText.substring(0, 80),
                    "operator",
                    null,
                    T0.plusSeconds(i),
                    T0.plusSeconds(i + 1)));
        }
        List<String> notifications = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            notifications.add("notify-" + i);
        }
        Order big = new Order(
                "BIG1",
                APPID,
                MCHID,
                null,
                "openid-big",
                "idem-big",
                longText,
                List.of(new OrderItem("p1", longText.substring(0, 100), 1000, 1)),
                1000,
                OrderStatus.PARTIALLY_REFUNDED,
                "wx-prepay",
                T0.plusSeconds(7200),
                "4200000001",
                1000L,
                T0.plusSeconds(30),
                refunds,
                notifications,
                T0,
                T0.plusSeconds(100),
                T0.plusSeconds(90),
                57,
                List.of());

        assertEquals(big, store.createIfAbsent(big));
        assertEquals(Optional.of(big), store.find("BIG1"));
        assertEquals(Optional.of(big), store.findByOutRefundNo("BIG1R50"));
        assertThrows(
                RefundLimitExceededException.class,
                () -> big.requestRefund(big.nextOutRefundNo(), 10, null, "owner", T0));
    }

    @Test
    void aPartnerOrderKeepsItsSubMerchantAndSubAppidThroughItsTransitionsAndAProductItsSubMerchant() {
        SubMerchant shop = new SubMerchant("1900000201", "wx5a1b2c3d4e5f6a7b");
        Order created = store.createIfAbsent(Order.unpaid(
                "SP01",
                APPID,
                MCHID,
                shop,
                "openid-sub",
                "idem-SP01",
                "coffee",
                List.of(new OrderItem("p1", "coffee", 500, 1)),
                T0.plusSeconds(7200),
                T0));
        assertEquals(shop, created.subMerchant());
        Order paid = created.applyPayment(
                        new PaymentSnapshot(
                                APPID,
                                MCHID,
                                "SP01",
                                "4200000000SP01",
                                "SUCCESS",
                                500L,
                                500L,
                                "openid-sub",
                                T0.plusSeconds(30),
                                shop),
                        "notify-SP01",
                        T0.plusSeconds(31))
                .orElseThrow();
        assertTrue(store.replaceIfCurrent(created, paid));
        assertEquals(Optional.of(paid), store.find("SP01"));
        assertEquals("wx5a1b2c3d4e5f6a7b", store.find("SP01").orElseThrow().payerAppid());

        store.saveProducts(List.of(new Product("sp-tea", "Tea", 800, true, "1900000202")));
        assertEquals("1900000202", store.findProduct("sp-tea").orElseThrow().subMchid());
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
        store.saveProducts(List.of(
                new Product("p1", "Coffee", 1200, true),
                new Product("p2", "Tea", 800, true),
                new Product("p3", "Cake", 2000, true)));

        store.replaceCatalogue(
                List.of(new Product("p2", "Green tea", 900, true), new Product("p4", "Mug", 4500, true)));

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
        Order order = Order.unpaid(
                "T7001",
                APPID,
                MCHID,
                "o-😀",
                "idem-ü",
                text,
                List.of(new OrderItem("p-ü", text, 1, 2)),
                T0.plusSeconds(60),
                T0);
        store.createIfAbsent(order);
        store.saveProducts(List.of(new Product("p-ü", text, 1, true)));

        assertEquals(Optional.of(order), store.find("T7001"));
        assertEquals(text, store.findProduct("p-ü").orElseThrow().name());
    }

    /**
     * Inserts {@code order} as the version with listOrders but before order events wrote it: its document without an
     * {@code events} field, its list keys, no event keys. {@code documentParameter} is {@code ?} or {@code ?::jsonb}.
     */
    static void insertAsBeforeEvents(Connection connection, String documentParameter, Order order) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders (out_trade_no, status, "
                + "updated_at, version, doc, openid, created_at) VALUES (?, ?, 0, 0, " + documentParameter
                + ", ?, ?)")) {
            insert.setString(1, order.outTradeNo());
            insert.setString(2, order.status().name());
            String document = new OrderDocumentCodec().toJson(order).replace(",\"events\":[]", "");
            assertFalse(document.contains("events"), document);
            insert.setString(3, document);
            insert.setString(4, order.openid());
            insert.setLong(5, StoreKeys.createdAtKey(order));
            insert.executeUpdate();
        }
    }

    /** An order an earlier version stored reads as it was, is in no event queue, and joins one with its first event. */
    static void assertReadAsStoredAndQueuedWithItsFirstEvent(OrderStore migrated, Order legacy) {
        Order read = migrated.find(legacy.outTradeNo()).orElseThrow();
        assertEquals(legacy, read);
        assertEquals(List.of(), migrated.findEventQueues(EventQueue.PENDING, null, null, 10));
        Order paid = read.applyPayment(paidSnapshot(read), "notify-" + legacy.outTradeNo(), T0.plusSeconds(30))
                .orElseThrow();
        assertTrue(migrated.replaceIfCurrent(read, paid));
        assertEquals(List.of(paid), migrated.findEventQueues(EventQueue.PENDING, T0.plusSeconds(30), null, 10));
    }

    static Order ownedBy(String openid, String outTradeNo, Instant createdAt) {
        return Order.unpaid(
                outTradeNo,
                APPID,
                MCHID,
                openid,
                "idem-" + outTradeNo,
                "coffee",
                List.of(new OrderItem("p1", "coffee", 1000, 1)),
                createdAt.plus(2, ChronoUnit.HOURS),
                createdAt);
    }

    /** Moves a stored order through the store and returns what is stored: the way a function would. */
    private Order transition(Order current, Order next) {
        assertTrue(store.replaceIfCurrent(current, next));
        return store.find(current.outTradeNo()).orElseThrow();
    }

    private Order paid(Order created) {
        return transition(
                created,
                created.applyPayment(paidSnapshot(created), null, T0.plusSeconds(31))
                        .orElseThrow());
    }

    private Order refunded(Order paid, long amount, RefundStatus ending) {
        Order requested = transition(paid, paid.requestRefund(paid.nextOutRefundNo(), amount, null, "operator", T0));
        if (ending == RefundStatus.PROCESSING) {
            return requested;
        }
        Refund refund = requested.refunds().get(requested.refunds().size() - 1);
        RefundSnapshot ended = DirectSnapshots.refund(
                MCHID,
                paid.outTradeNo(),
                paid.transactionId(),
                refund.outRefundNo(),
                "50300" + refund.outRefundNo(),
                ending,
                amount,
                paid.total(),
                T0.plusSeconds(90));
        return transition(
                requested,
                requested.applyRefund(ended, null, T0.plusSeconds(90)).orElseThrow());
    }

    /** Every page of a list, read {@code pageSize} at a time from the position of each page's last order. */
    private List<String> allPages(OrderFilter filter, int pageSize) {
        List<String> listed = new ArrayList<>();
        OrderPosition after = null;
        while (true) {
            List<Order> page = store.listOrders(filter, after, pageSize);
            assertTrue(page.size() <= pageSize, "page of " + page.size());
            listed.addAll(keys(page));
            if (page.size() < pageSize) {
                return listed;
            }
            after = OrderPosition.of(page.get(page.size() - 1));
        }
    }

    @Test
    void listIsNewestFirstByCreationTimeWithTiesInDescendingOutTradeNo() {
        Instant whole = Instant.parse("2025-03-01T09:00:00Z");
        store.createIfAbsent(ownedBy("o-1", "L-A", whole));
        // As ISO strings "…00Z" sorts after "…00.5Z"; as times it is half a second earlier.
        store.createIfAbsent(ownedBy("o-1", "L-B", whole.plusMillis(500)));
        store.createIfAbsent(ownedBy("o-2", "L-C", whole.plusSeconds(1)));
        store.createIfAbsent(ownedBy("o-2", "L-D", whole.plusSeconds(1)));
        store.createIfAbsent(ownedBy("o-1", "L-E", whole.minusNanos(1)));
        store.createIfAbsent(ownedBy("o-3", "L-F", whole.plusNanos(1)));

        assertEquals(
                List.of("L-D", "L-C", "L-B", "L-F", "L-A", "L-E"), keys(store.listOrders(OrderFilter.any(), null, 10)));
        assertEquals(List.of("L-D", "L-C"), keys(store.listOrders(OrderFilter.any(), null, 2)));
        assertEquals(List.of(), store.listOrders(OrderFilter.any(), null, 0));
    }

    @Test
    void pagesFromThePositionOfTheLastOrderNeitherRepeatNorSkip() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            // Pairs share a creation time, so pages also break inside a tie.
            store.createIfAbsent(ownedBy("o-pages", String.format("P-%02d", i), T0.plusSeconds(i / 2)));
            expected.add(0, String.format("P-%02d", i));
        }
        for (int pageSize : new int[] {1, 2, 3, 5, 11, 12}) {
            assertEquals(expected, allPages(OrderFilter.any(), pageSize), "pages of " + pageSize);
        }
    }

    @Test
    void ownerFilterListsOnlyThatOwnersOrdersEvenFromThePositionOfAnotherOwnersOrder() {
        Order mine1 = store.createIfAbsent(ownedBy("o-me", "M-1", T0));
        Order theirs1 = store.createIfAbsent(ownedBy("o-them", "X-1", T0.plusSeconds(1)));
        Order mine2 = store.createIfAbsent(ownedBy("o-me", "M-2", T0.plusSeconds(2)));
        Order theirs2 = store.createIfAbsent(ownedBy("o-them", "X-2", T0.plusSeconds(3)));
        OrderFilter mine = OrderFilter.any().ownedBy("o-me");

        assertEquals(List.of(mine2, mine1), store.listOrders(mine, null, 10));
        assertEquals(List.of(mine1), store.listOrders(mine, OrderPosition.of(theirs1), 10));
        assertEquals(List.of(mine2, mine1), store.listOrders(mine, OrderPosition.of(theirs2), 10));
        assertEquals(
                List.of(theirs2, theirs1), store.listOrders(OrderFilter.any().ownedBy("o-them"), null, 10));
        assertEquals(List.of(), store.listOrders(OrderFilter.any().ownedBy("o-nobody"), null, 10));
    }

    @Test
    void statusFilterListsOrdersInAnyOfTheGivenStatuses() {
        store.createIfAbsent(ownedBy("o-s", "S-NOTPAY", T0));
        Order paid = paid(store.createIfAbsent(ownedBy("o-s", "S-PAID", T0.plusSeconds(1))));
        Order partly = refunded(
                paid(store.createIfAbsent(ownedBy("o-s", "S-PART", T0.plusSeconds(2)))), 400, RefundStatus.SUCCESS);
        Order refunding = refunded(
                paid(store.createIfAbsent(ownedBy("o-s", "S-REFUNDING", T0.plusSeconds(3)))),
                1000,
                RefundStatus.PROCESSING);
        Order refunded = refunded(
                paid(store.createIfAbsent(ownedBy("o-s", "S-REFUNDED", T0.plusSeconds(4)))),
                1000,
                RefundStatus.SUCCESS);
        Order closed = store.createIfAbsent(ownedBy("o-s", "S-CLOSED", T0.plusSeconds(5)));
        closed = transition(closed, closed.close(T0.plusSeconds(6)).orElseThrow());
        paid(store.createIfAbsent(ownedBy("o-other", "S-OTHER-PAID", T0.plusSeconds(7))));
        assertEquals(OrderStatus.PARTIALLY_REFUNDED, partly.status());
        assertEquals(OrderStatus.REFUNDING, refunding.status());
        assertEquals(OrderStatus.REFUNDED, refunded.status());

        OrderFilter owner = OrderFilter.any().ownedBy("o-s");
        assertEquals(
                List.of(partly, paid), store.listOrders(owner.withStatuses(OrderFilter.withPayStatus(2)), null, 10));
        assertEquals(List.of(refunding), store.listOrders(owner.withStatuses(Set.of(OrderStatus.REFUNDING)), null, 10));
        assertEquals(
                List.of(closed, refunded),
                store.listOrders(owner.withStatuses(EnumSet.of(OrderStatus.CLOSED, OrderStatus.REFUNDED)), null, 10));
        assertEquals(
                List.of("S-OTHER-PAID", "S-PART", "S-PAID"),
                keys(store.listOrders(OrderFilter.any().withStatuses(OrderFilter.withPayStatus(2)), null, 10)));
        assertEquals(
                List.of("S-PAID"),
                keys(store.listOrders(owner.withStatuses(OrderFilter.withPayStatus(2)), OrderPosition.of(partly), 10)));
    }

    @Test
    void creationRangeIncludesItsStartAndExcludesItsEndToTheNanosecond() {
        store.createIfAbsent(ownedBy("o-r", "R-0", T0));
        store.createIfAbsent(ownedBy("o-r", "R-1", T0.plusNanos(1)));
        store.createIfAbsent(ownedBy("o-r", "R-2", T0.plusSeconds(1)));
        store.createIfAbsent(ownedBy("o-x", "R-3", T0.plusSeconds(1).plusNanos(1)));
        store.createIfAbsent(ownedBy("o-r", "R-4", T0.plusSeconds(2)));

        OrderFilter range = OrderFilter.any().createdBetween(T0.plusNanos(1), T0.plusSeconds(2));
        assertEquals(List.of("R-3", "R-2", "R-1"), keys(store.listOrders(range, null, 10)));
        assertEquals(List.of("R-2", "R-1"), keys(store.listOrders(range.ownedBy("o-r"), null, 10)));
        assertEquals(
                List.of("R-4", "R-3", "R-2", "R-1"),
                keys(store.listOrders(OrderFilter.any().createdBetween(T0.plusNanos(1), null), null, 10)));
        assertEquals(
                List.of("R-0"),
                keys(store.listOrders(OrderFilter.any().createdBetween(null, T0.plusNanos(1)), null, 10)));
    }

    @Test
    void transitionsKeepAnOrdersPlaceInTheListAndTheListShowsTheStoredDocument() {
        store.createIfAbsent(ownedBy("o-t", "T-1", T0));
        Order middle = store.createIfAbsent(ownedBy("o-t", "T-2", T0.plusSeconds(1)));
        store.createIfAbsent(ownedBy("o-t", "T-3", T0.plusSeconds(2)));
        Order paidMiddle = paid(middle);

        List<Order> listed = store.listOrders(OrderFilter.any().ownedBy("o-t"), null, 10);
        assertEquals(List.of("T-3", "T-2", "T-1"), keys(listed));
        assertEquals(paidMiddle, listed.get(1));
    }

    @Test
    void pagingWhileOthersInsertConcurrentlyListsEveryEarlierOrderOnceAndInOrder() throws Exception {
        List<String> earlier = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String outTradeNo = String.format("C-%03d", i);
            store.createIfAbsent(ownedBy("o-busy", outTradeNo, T0.plusMillis(i)));
            earlier.add(outTradeNo);
        }
        int writers = 4;
        CountDownLatch started = new CountDownLatch(writers);
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger insertedSoFar = new AtomicInteger();
        // How many orders the writers may have inserted so far: a few more for each page the reader reads. Writers
        // free to outrun the reader would, on a store whose inserts are fast beside its list reads, keep adding orders
        // behind the reader faster than it pages, and the run would end with their budget instead of the list.
        AtomicInteger allowed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> writing = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writing.add(pool.submit(() -> {
                    started.countDown();
                    int n = 0;
                    while (reading.get() && n < 2_000) {
                        if (insertedSoFar.get() >= allowed.get()) {
                            LockSupport.parkNanos(20_000);
                            continue;
                        }
                        // Newer than everything, and between two earlier orders (behind and ahead of the reader).
                        Instant createdAt = writer % 2 == 0
                                ? T0.plusSeconds(3600).plusNanos(n)
                                : T0.plusMillis(n % 60).plusNanos(500_000 + writer);
                        store.createIfAbsent(ownedBy("o-busy", "N-" + writer + "-" + n, createdAt));
                        insertedSoFar.incrementAndGet();
                        n++;
                    }
                }));
            }
            started.await();
            List<Order> listed = new ArrayList<>();
            OrderPosition after = null;
            OrderFilter busy = OrderFilter.any().ownedBy("o-busy");
            while (true) {
                // Each page is read only after more orders went in since the previous one.
                int seen = insertedSoFar.get();
                allowed.set(seen + 2 * writers);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (insertedSoFar.get() < seen + writers) {
                    assertTrue(System.nanoTime() < deadline, "writers stopped inserting");
                    Thread.onSpinWait();
                }
                List<Order> page = store.listOrders(busy, after, 7);
                listed.addAll(page);
                if (page.size() < 7) {
                    break;
                }
                after = OrderPosition.of(page.get(page.size() - 1));
            }
            reading.set(false);
            for (Future<?> writer : writing) {
                writer.get();
            }

            List<String> keys = keys(listed);
            assertEquals(keys.size(), new HashSet<>(keys).size(), "an order was listed twice: " + keys);
            assertEquals(
                    earlier,
                    keys.stream().filter(k -> k.startsWith("C-")).sorted().toList(),
                    "every earlier order exactly once");
            for (int i = 1; i < listed.size(); i++) {
                assertTrue(
                        OrderPosition.of(listed.get(i - 1)).compareTo(OrderPosition.of(listed.get(i))) < 0,
                        "out of order at " + i + ": " + keys);
            }
        } finally {
            reading.set(false);
            pool.shutdownNow();
        }
    }

    /** An order paid at {@code paidAt} (its ORDER_PAID event due then), written through the store. */
    Order storedWithPaidEvent(String outTradeNo, Instant paidAt) {
        Order created = store.createIfAbsent(unpaid(outTradeNo, 100, paidAt.minusSeconds(60)));
        return transition(
                created,
                created.applyPayment(paidSnapshot(created), "notify-" + outTradeNo, paidAt)
                        .orElseThrow());
    }

    /** The order's head event attempted at {@code at} and refused, under a schedule that parks at once. */
    Order storedWithParkedHead(String outTradeNo, Instant at) {
        Order paid = storedWithPaidEvent(outTradeNo, at.minusSeconds(1));
        String head = Outbox.head(paid).orElseThrow().id();
        Order claimed = transition(
                paid, Outbox.claim(paid, head, at, Duration.ofSeconds(30)).orElseThrow());
        DeliverySchedule parkAtOnce =
                new DeliverySchedule(List.of(Duration.ofHours(1)), Duration.ZERO, Duration.ofSeconds(30));
        return transition(
                claimed,
                Outbox.failed(claimed, head, 1, "HTTP 500", at, parkAtOnce).orElseThrow());
    }

    @Test
    void eventQueuesAreReadByDueOrParkedTimeThenOutTradeNoAndPaged() {
        Order late = storedWithPaidEvent("Q-LATE", T0.plusSeconds(10));
        Order tieB = storedWithPaidEvent("Q-B", T0.plusSeconds(5));
        Order tieC = storedWithPaidEvent("Q-C", T0.plusSeconds(5));
        Order delivered = storedWithPaidEvent("Q-DONE", T0.plusSeconds(1));
        transition(
                delivered,
                Outbox.acknowledged(
                                delivered, Outbox.head(delivered).orElseThrow().id(), T0.plusSeconds(2))
                        .orElseThrow());
        Order parkedLater = storedWithParkedHead("Q-PARKED-2", T0.plusSeconds(20));
        Order parkedEarlier = storedWithParkedHead("Q-PARKED-1", T0.plusSeconds(15));
        store.createIfAbsent(unpaid("Q-UNPAID", 100, T0));

        assertEquals(
                List.of("Q-B", "Q-C"), keys(store.findEventQueues(EventQueue.PENDING, T0.plusSeconds(5), null, 10)));
        assertEquals(
                List.of(),
                store.findEventQueues(EventQueue.PENDING, T0.plusSeconds(5).minusNanos(1), null, 10));
        assertEquals(List.of("Q-B", "Q-C", "Q-LATE"), keys(store.findEventQueues(EventQueue.PENDING, null, null, 10)));
        assertEquals(List.of("Q-B", "Q-C"), keys(store.findEventQueues(EventQueue.PENDING, null, null, 2)));
        assertEquals(
                List.of("Q-C", "Q-LATE"),
                keys(store.findEventQueues(
                        EventQueue.PENDING, null, EventQueuePosition.of(EventQueue.PENDING, tieB), 10)));
        assertEquals(
                List.of("Q-LATE"),
                keys(store.findEventQueues(
                        EventQueue.PENDING, null, EventQueuePosition.of(EventQueue.PENDING, tieC), 10)));
        assertEquals(
                List.of(),
                store.findEventQueues(EventQueue.PENDING, null, EventQueuePosition.of(EventQueue.PENDING, late), 10));
        assertEquals(
                List.of("Q-PARKED-1", "Q-PARKED-2"), keys(store.findEventQueues(EventQueue.PARKED, null, null, 10)));
        assertEquals(
                List.of("Q-PARKED-2"),
                keys(store.findEventQueues(
                        EventQueue.PARKED, null, EventQueuePosition.of(EventQueue.PARKED, parkedEarlier), 10)));
        assertEquals(List.of(), store.findEventQueues(EventQueue.PARKED, null, null, 0));

        // An attempt's lease moves the order behind the others; redelivery moves a parked one back among the due.
        transition(
                tieB,
                Outbox.claim(tieB, Outbox.head(tieB).orElseThrow().id(), T0.plusSeconds(30), Duration.ofSeconds(30))
                        .orElseThrow());
        transition(parkedLater, Outbox.reopened(parkedLater, T0.plusSeconds(40)).orElseThrow());
        assertEquals(
                List.of("Q-C", "Q-LATE", "Q-PARKED-2", "Q-B"),
                keys(store.findEventQueues(EventQueue.PENDING, null, null, 10)));
        assertEquals(List.of("Q-PARKED-1"), keys(store.findEventQueues(EventQueue.PARKED, null, null, 10)));
        assertEquals(
                List.of("Q-C", "Q-LATE"),
                keys(store.findEventQueues(EventQueue.PENDING, T0.plusSeconds(39), null, 10)));
    }

    @Test
    void eventsAndTheirDeliveryRecordsRoundTripExactly() {
        Order paid = storedWithPaidEvent("E-1", T0.plusSeconds(1));
        Order refunding = transition(paid, paid.requestRefund("E-1R01", 40, "退款 ☕", "owner", T0.plusSeconds(2)));
        Order alerted = transition(
                refunding,
                Outbox.alerted(refunding, "notify-bad", "amount 1 fen (stored 100)", T0.plusSeconds(3))
                        .orElseThrow());
        Order acknowledged =
                Outbox.acknowledged(alerted, "evt_E-1_1", T0.plusSeconds(4)).orElseThrow();
        assertTrue(store.replaceIfCurrent(alerted, acknowledged));

        Order stored = store.find("E-1").orElseThrow();
        assertEquals(acknowledged, stored, "as computed, to the nanosecond");
        assertEquals(
                List.of(OrderEventType.ORDER_PAID, OrderEventType.REFUND_REQUESTED, OrderEventType.ORDER_ALERT),
                stored.events().stream().map(OrderEvent::type).toList());
        assertEquals(null, stored.events().get(0).order(), "a delivered event keeps no copy of the order");
        assertEquals(OrderStatus.REFUNDING, stored.events().get(1).order().status());
        assertEquals(List.of("E-1"), keys(store.findEventQueues(EventQueue.PENDING, T0.plusSeconds(4), null, 10)));
    }

    @Test
    void sixteenConcurrentWritesOfOneNotificationRecordOneEvent() throws Exception {
        Order current = store.createIfAbsent(unpaid("E-RACE", 100, T0));
        List<Order> nexts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            nexts.add(current.applyPayment(paidSnapshot(current), "notify-race", T0.plusSeconds(i))
                    .orElseThrow());
        }
        assertEquals(
                1,
                writeConcurrently(current, nexts).stream()
                        .filter(Boolean::booleanValue)
                        .count());
        Order stored = store.find("E-RACE").orElseThrow();
        assertEquals(
                List.of("evt_E-RACE_1"),
                stored.events().stream().map(OrderEvent::id).toList());
        assertEquals(List.of("E-RACE"), keys(store.findEventQueues(EventQueue.PENDING, null, null, 10)));
    }

    private static List<String> keys(List<Order> orders) {
        return orders.stream().map(Order::outTradeNo).toList();
    }
}
