package io.wxpayfn.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.Caller;
import io.wxpayfn.order.LineRequest;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderItem;
import io.wxpayfn.order.OrderPolicy;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.PlacedOrder;
import io.wxpayfn.order.Product;
import io.wxpayfn.order.Refund;
import io.wxpayfn.order.RefundStatus;
import io.wxpayfn.reconcile.ReconcileReport.Finding;
import io.wxpayfn.reconcile.ReconcileReport.FindingKind;
import io.wxpayfn.simulator.Delivery;
import io.wxpayfn.simulator.MerchantCredentials;
import io.wxpayfn.simulator.NotificationFault;
import io.wxpayfn.simulator.SimRefund;
import io.wxpayfn.simulator.SimTransaction;
import io.wxpayfn.simulator.SimulatorOptions;
import io.wxpayfn.simulator.WeChatPaySimulator;
import io.wxpayfn.store.SqliteOrderStore;
import io.wxpayfn.wechat.BillDownloader;
import io.wxpayfn.wechat.NotificationVerifier;
import io.wxpayfn.wechat.TestSettings;
import io.wxpayfn.wechat.WeChatPayClients;
import io.wxpayfn.wechat.WeChatPayGateway;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 orders through OrderService against the WeChat Pay simulator (real HTTP, the SDK gateway, verified
 * notifications) and a real SQLite store, with faults injected; then one reconcile run must leave every order equal
 * to the simulator's truth to the fen, and a second run must change nothing.
 */
class ReconcileAgainstSimulatorTest {

    private static final int ORDERS = 200;
    private static final Duration SHORT_TTL = Duration.ofMinutes(5);
    private static final Duration LONG_TTL = Duration.ofHours(3);
    private static final Duration STALE = Duration.ofMinutes(30);
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** What happens to an order; the order's index modulo the number of scenarios picks one. */
    enum Scenario {
        PAID_NOTIFIED,
        PAID_NOTIFICATION_DROPPED,
        NEVER_PAID,
        PAID_DUPLICATE_NOTIFICATIONS,
        PAID_AFTER_EXPIRY_NOTIFICATION_LATE,
        REFUND_STUCK_THEN_SUCCESS_DROPPED,
        REFUND_STUCK_THEN_ABNORMAL_DROPPED,
        REFUND_SUCCESS_DUPLICATE_NOTIFICATIONS,
        LONG_LIVED_PAID_NOTIFICATION_DROPPED,
        REFUND_MADE_OUTSIDE_NOTIFICATION_DROPPED,
        REFUND_STILL_PROCESSING,
        REFUND_STUCK_THEN_SUCCESS_LATE,
        LONG_LIVED_NEVER_PAID
    }

    /**
     * WeChat Pay's and the shop's business time: today's noon in Shanghai, ticking, so that no midnight can split
     * the run's payments over two bills. Signatures and their ±5-minute checks keep to the real clock.
     */
    private final Clock businessTime = SimulatorOptions.clockFromNoonInShanghai();

    private final ShiftedClock clock = new ShiftedClock(businessTime);
    private final NotificationReceiver receiver = new NotificationReceiver();
    private final WeChatPaySimulator sim = WeChatPaySimulator.start(
            SimulatorOptions.defaults().withTimeScale(0.001).withClock(businessTime));
    private OrderStore store;

    @AfterEach
    void stop() {
        receiver.close();
        sim.close();
        if (store != null) {
            store.close();
        }
    }

    @Test
    void oneRunMakesEveryOrderEqualTheSimulatorsTruthAndASecondRunChangesNothing(@TempDir Path dir) {
        MerchantCredentials m = sim.merchant();
        WeChatPayClients clients = WeChatPayClients.create(TestSettings.oneKeyMode(
                m.mchid(),
                m.merchantSerialNumber(),
                m.merchantPrivateKeyPem(),
                m.apiV3Key(),
                m.platformPublicKeyPem(),
                m.platformPublicKeyId(),
                receiver.paymentUrl(),
                receiver.refundUrl(),
                sim.baseUrl()));
        WeChatPayGateway gateway = new WeChatPayGateway(clients);
        store = new SqliteOrderStore(dir.resolve("orders.db"));
        store.saveProducts(List.of(
                new Product("p1", "Tea, green", 1, true),
                new Product("p2", "Cake", 99, true),
                new Product("p3", "Coffee", 1234, true),
                new Product("p4", "Set menu", 12345, true),
                new Product("p5", "Water", 3, true)));
        OrderService service = new OrderService(
                store, gateway, new OrderPolicy(m.appid(), m.mchid(), SHORT_TTL, Duration.ZERO), clock);
        OrderService longLived =
                new OrderService(store, gateway, new OrderPolicy(m.appid(), m.mchid(), LONG_TTL, Duration.ZERO), clock);
        receiver.deliverTo(new NotificationVerifier(clients, Clock.systemUTC()), service);
        BillDownloader downloader = new BillDownloader(clients);
        Reconciler reconciler =
                new Reconciler(store, gateway, service, (date, subMchid) -> downloader.tradeBill(date, subMchid, true));

        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        List<String> lateKeys = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            Scenario scenario = Scenario.values()[i % Scenario.values().length];
            boolean isLongLived = scenario == Scenario.LONG_LIVED_PAID_NOTIFICATION_DROPPED
                    || scenario == Scenario.LONG_LIVED_NEVER_PAID;
            PlacedOrder placed = (isLongLived ? longLived : service)
                    .placeOrder(
                            sim.openidOf("user" + i),
                            List.of(new LineRequest("p" + (1 + i % 5), 1 + i % 3)),
                            "key-" + i);
            scenarios.put(placed.order().outTradeNo(), scenario);
            play(scenario, placed, service, gateway, lateKeys);
        }
        List<String> foreign =
                List.of(payForeignOrder(gateway, m, "FOREIGN0001"), payForeignOrder(gateway, m, "FOREIGN0002"));

        ReconcileRequest request = new ReconcileRequest(
                businessTime.instant().plus(Duration.ofMinutes(10)),
                Duration.ofMinutes(1),
                STALE,
                sim.now().toLocalDate(),
                50,
                10_000,
                null);
        ReconcileReport first = reconciler.run(request);
        System.out.println(first.summary());

        assertEquals(List.of(), differencesFromTruth(allOrders()), first.summary());
        assertEquals(ORDERS, allOrders().size());
        assertEquals(
                foreign,
                first.findings().stream()
                        .filter(f -> f.kind() == FindingKind.ORDER_MISSING)
                        .map(Finding::outTradeNo)
                        .sorted()
                        .toList());
        assertEquals(
                List.of(),
                first.findings().stream()
                        .filter(f -> !f.repaired() && f.kind() != FindingKind.ORDER_MISSING)
                        .toList(),
                "only the foreign orders stay open");
        assertTrue(first.findings().stream().anyMatch(f -> f.kind() == FindingKind.REFUND_MISSING && f.repaired()));
        assertTrue(
                first.bill().repaired() > 0
                        && first.expired().repaired() > 0
                        && first.stale().repaired() > 0,
                "each phase had something to repair: " + first.summary());

        // The notifications held back arrive now, after reconcile has already applied what they say.
        lateKeys.forEach(sim::releaseHeldNotifications);
        lateKeys.forEach(key -> sim.awaitDeliveries(d -> d.concerns(key) && d.acknowledged(), 1, WAIT));
        Map<String, Order> afterFirst = allOrders();
        assertEquals(List.of(), differencesFromTruth(afterFirst));

        ReconcileReport second = reconciler.run(request);

        assertTrue(second.changedNothing(), second.summary());
        assertEquals(afterFirst, allOrders());
        assertEquals(
                List.of(FindingKind.ORDER_MISSING, FindingKind.ORDER_MISSING),
                second.findings().stream().map(Finding::kind).toList(),
                second.summary());
        assertEquals(List.of(), receiver.failures(), "every genuine notification was applied");
    }

    /** Drives one order through its scenario, waiting until WeChat Pay's side has settled. */
    private void play(
            Scenario scenario,
            PlacedOrder placed,
            OrderService service,
            WeChatPayGateway gateway,
            List<String> lateKeys) {
        Order order = placed.order();
        String no = order.outTradeNo();
        String firstRefund = order.nextOutRefundNo();
        switch (scenario) {
            case NEVER_PAID, LONG_LIVED_NEVER_PAID -> {
                return;
            }
            case PAID_NOTIFICATION_DROPPED, LONG_LIVED_PAID_NOTIFICATION_DROPPED -> {
                sim.faults().onNextNotification(no, NotificationFault.drop());
                sim.pay(placed.payment().prepayId());
                awaitDropped(no);
                return;
            }
            case PAID_DUPLICATE_NOTIFICATIONS -> {
                sim.faults().onNextNotification(no, NotificationFault.duplicate(3, true));
                sim.pay(placed.payment().prepayId());
                sim.awaitDeliveries(d -> d.concerns(no) && d.acknowledged(), 3, WAIT);
                return;
            }
            case PAID_AFTER_EXPIRY_NOTIFICATION_LATE -> {
                sim.faults().onNextNotification(no, NotificationFault.hold());
                sim.payIgnoringExpiry(no);
                lateKeys.add(no);
                return;
            }
            default -> payAndAwait(placed);
        }
        switch (scenario) {
            case REFUND_STUCK_THEN_SUCCESS_DROPPED,
                    REFUND_STUCK_THEN_ABNORMAL_DROPPED,
                    REFUND_STILL_PROCESSING,
                    REFUND_STUCK_THEN_SUCCESS_LATE -> {
                sim.faults().holdRefunds(firstRefund);
                refundAnHourAgo(
                        service,
                        no,
                        scenario == Scenario.REFUND_STUCK_THEN_ABNORMAL_DROPPED
                                        || scenario == Scenario.REFUND_STILL_PROCESSING
                                ? Math.max(1, order.total() / 2)
                                : null);
                if (scenario == Scenario.REFUND_STILL_PROCESSING) {
                    return;
                }
                sim.faults()
                        .onNextNotification(
                                firstRefund,
                                scenario == Scenario.REFUND_STUCK_THEN_SUCCESS_LATE
                                        ? NotificationFault.hold()
                                        : NotificationFault.drop());
                sim.completeRefund(
                        firstRefund,
                        scenario == Scenario.REFUND_STUCK_THEN_ABNORMAL_DROPPED
                                ? io.wxpayfn.simulator.RefundStatus.ABNORMAL
                                : io.wxpayfn.simulator.RefundStatus.SUCCESS);
                if (scenario == Scenario.REFUND_STUCK_THEN_SUCCESS_LATE) {
                    lateKeys.add(firstRefund);
                }
            }
            case REFUND_SUCCESS_DUPLICATE_NOTIFICATIONS -> {
                sim.faults().onNextNotification(firstRefund, NotificationFault.duplicate(2, true));
                service.refund(Caller.asOperator(), no, null, "duplicate notifications", null);
                sim.awaitDeliveries(d -> d.concerns(firstRefund) && d.acknowledged(), 2, WAIT);
            }
            case REFUND_MADE_OUTSIDE_NOTIFICATION_DROPPED -> {
                String outside = "MP" + no.substring(2);
                sim.faults().onNextNotification(outside, NotificationFault.drop());
                Instant now = businessTime.instant();
                gateway.refund(
                        order,
                        new Refund(
                                outside,
                                Math.max(1, order.total() / 3),
                                RefundStatus.PROCESSING,
                                null,
                                "merchant platform",
                                "wechatpay",
                                null,
                                now,
                                now));
                awaitDropped(outside);
            }
            default -> {}
        }
    }

    private void payAndAwait(PlacedOrder placed) {
        sim.pay(placed.payment().prepayId());
        sim.awaitAcknowledged(placed.order().outTradeNo(), "TRANSACTION.SUCCESS", WAIT);
    }

    /** The store records the refund as an hour old, so reconcile counts it as stale. */
    private void refundAnHourAgo(OrderService service, String outTradeNo, Long amount) {
        clock.shift(Duration.ofHours(-1));
        try {
            service.refund(Caller.asOperator(), outTradeNo, amount, "stuck at the bank", null);
        } finally {
            clock.shift(Duration.ZERO);
        }
    }

    private void awaitDropped(String key) {
        sim.awaitDeliveries(d -> d.concerns(key) && d.kind() == Delivery.Kind.DROPPED, 1, WAIT);
    }

    /** A payment WeChat Pay took for an order this store never had (e.g. placed by another system). */
    private String payForeignOrder(WeChatPayGateway gateway, MerchantCredentials m, String outTradeNo) {
        Instant now = businessTime.instant();
        Order foreign = Order.unpaid(
                outTradeNo,
                m.appid(),
                m.mchid(),
                sim.openidOf("stranger"),
                "none",
                "Foreign",
                List.of(new OrderItem("x", "Foreign", 777, 1)),
                now.plus(SHORT_TTL),
                now);
        sim.faults().onEveryNotification(outTradeNo, NotificationFault.drop());
        sim.pay(gateway.prepay(foreign).prepayId());
        return outTradeNo;
    }

    private Map<String, Order> allOrders() {
        Map<String, Order> orders = new TreeMap<>();
        String after = null;
        while (true) {
            List<Order> page = store.findByStatus(
                    EnumSet.allOf(OrderStatus.class), businessTime.instant().plus(Duration.ofDays(1)), after, 100);
            page.forEach(o -> orders.put(o.outTradeNo(), o));
            if (page.size() < 100) {
                return orders;
            }
            after = page.get(page.size() - 1).outTradeNo();
        }
    }

    /** Every way a stored order differs from the simulator's truth, one line each. */
    private List<String> differencesFromTruth(Map<String, Order> orders) {
        List<String> differences = new ArrayList<>();
        for (Order order : orders.values()) {
            String no = order.outTradeNo();
            SimTransaction truth = sim.transaction(no).orElseThrow();
            List<SimRefund> refunds = sim.refunds().stream()
                    .filter(r -> r.outTradeNo().equals(no))
                    .toList();
            OrderStatus expected = expectedStatus(truth, refunds);
            check(differences, no, "status", expected, order.status());
            check(differences, no, "total", truth.total(), order.total());
            if (truth.transactionId() != null) {
                check(differences, no, "transaction_id", truth.transactionId(), order.transactionId());
                check(differences, no, "payer total", truth.total(), order.payerTotal());
            }
            Map<String, String> expectedRefunds = new TreeMap<>();
            refunds.forEach(r -> expectedRefunds.put(r.outRefundNo(), r.refund() + " fen " + r.status()));
            Map<String, String> storedRefunds = new TreeMap<>();
            order.refunds().forEach(r -> storedRefunds.put(r.outRefundNo(), r.amount() + " fen " + r.status()));
            check(differences, no, "refunds", expectedRefunds, storedRefunds);
            long refundedAtWeChat = refunds.stream()
                    .filter(r -> r.status() == io.wxpayfn.simulator.RefundStatus.SUCCESS)
                    .mapToLong(SimRefund::refund)
                    .sum();
            check(differences, no, "refunded total", refundedAtWeChat, order.refundedTotal());
        }
        return differences;
    }

    private static OrderStatus expectedStatus(SimTransaction truth, List<SimRefund> refunds) {
        return switch (truth.state()) {
            case NOTPAY -> OrderStatus.NOTPAY;
            case CLOSED -> OrderStatus.CLOSED;
            case SUCCESS, REFUND -> {
                if (refunds.stream().anyMatch(r -> r.status() == io.wxpayfn.simulator.RefundStatus.PROCESSING)) {
                    yield OrderStatus.REFUNDING;
                }
                long refunded = refunds.stream()
                        .filter(r -> r.status() == io.wxpayfn.simulator.RefundStatus.SUCCESS)
                        .mapToLong(SimRefund::refund)
                        .sum();
                yield refunded >= truth.total()
                        ? OrderStatus.REFUNDED
                        : refunded > 0 ? OrderStatus.PARTIALLY_REFUNDED : OrderStatus.PAID;
            }
            default -> throw new AssertionError("no scenario leaves an order " + truth.state());
        };
    }

    private static void check(
            List<String> differences, String outTradeNo, String what, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            differences.add(outTradeNo + " " + what + ": WeChat Pay says " + expected + ", store says " + actual);
        }
    }
}
