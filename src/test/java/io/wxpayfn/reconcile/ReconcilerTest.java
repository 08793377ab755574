package io.wxpayfn.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.Caller;
import io.wxpayfn.order.InMemoryOrderStore;
import io.wxpayfn.order.LineRequest;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderPolicy;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.Product;
import io.wxpayfn.order.RefundStatus;
import io.wxpayfn.reconcile.ReconcileReport.Finding;
import io.wxpayfn.reconcile.ReconcileReport.FindingKind;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private static final Duration TTL = Duration.ofMinutes(30);
    private static final Duration GRACE = Duration.ofMinutes(1);
    private static final Duration STALE = Duration.ofMinutes(10);
    private static final LocalDate BILL_DATE = LocalDate.of(2026, 11, 22);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T02:00:00Z"));
    private final InMemoryOrderStore store = new InMemoryOrderStore();
    private final FakeWeChatPay wechat = new FakeWeChatPay(clock);
    private final OrderService service =
            new OrderService(store, wechat, new OrderPolicy("wxapp0001", "1900000001", TTL, Duration.ZERO), clock);
    private final Map<LocalDate, String> bills = new HashMap<>();
    private final Reconciler reconciler = new Reconciler(store, wechat, service, (date, subMchid) -> {
        String bill = bills.get(date);
        if (bill == null) {
            throw new io.wxpayfn.order.WeChatPayRejectedException("NO_STATEMENT_EXIST", "no bill yet");
        }
        return bill;
    });
    private int orderCount;

    ReconcilerTest() {
        store.saveProducts(List.of(new Product("tea", "Green tea", 1234, true)));
    }

    private String place() {
        orderCount++;
        return service.placeOrder("openid-" + orderCount, List.of(new LineRequest("tea", 2)), "key-" + orderCount)
                .order()
                .outTradeNo();
    }

    private String placePaidAndNotified() {
        String outTradeNo = place();
        wechat.pay(outTradeNo);
        service.applyPaymentNotification("notify-" + outTradeNo, wechat.payment(outTradeNo));
        return outTradeNo;
    }

    private String refundWhole(String outTradeNo) {
        return service.refund(Caller.asOperator(), outTradeNo, null, "test", null)
                .refund()
                .outRefundNo();
    }

    private Order stored(String outTradeNo) {
        return store.find(outTradeNo).orElseThrow();
    }

    private ReconcileReport run(LocalDate billDate, int maxOrders, ReconcileCursor resumeFrom) {
        return reconciler.run(new ReconcileRequest(clock.instant(), GRACE, STALE, billDate, 2, maxOrders, resumeFrom));
    }

    private ReconcileReport run() {
        return run(null, 1000, null);
    }

    private static String yuan(long fen) {
        return fen / 100 + "." + String.format("%02d", fen % 100);
    }

    @Test
    void closesUnpaidOrdersPastTheirExpiryAtWeChatPayAndInTheStore() {
        String expired = place();
        clock.advance(TTL.plus(GRACE));
        String fresh = place();

        ReconcileReport report = run();

        assertEquals(OrderStatus.CLOSED, stored(expired).status());
        assertEquals("CLOSED", wechat.tradeState(expired));
        assertEquals(OrderStatus.NOTPAY, stored(fresh).status());
        assertEquals(new ReconcileReport.PhaseCounts(1, 1, 0, 0, 0), report.expired());
        assertEquals(List.of(), report.findings());
        assertNull(report.cursor());
    }

    @Test
    void paymentWhoseNotificationWasLostIsAppliedWhenWeChatPayRefusesTheClose() {
        String outTradeNo = place();
        wechat.pay(outTradeNo);
        clock.advance(TTL.plus(GRACE));

        ReconcileReport report = run();

        Order order = stored(outTradeNo);
        assertEquals(OrderStatus.PAID, order.status());
        assertEquals("4200" + outTradeNo, order.transactionId());
        assertEquals(2468L, order.payerTotal());
        assertEquals(
                List.of(new Finding(
                        outTradeNo,
                        null,
                        FindingKind.PAYMENT_RACED_CLOSE,
                        "WeChat Pay refused the close: the order was paid; stored PAID",
                        true)),
                report.findings());
        assertEquals(new ReconcileReport.PhaseCounts(1, 0, 1, 0, 0), report.expired());
    }

    @Test
    void paymentThatLandsAsTheCloseSucceedsIsAppliedAsPaidNotLost() {
        String outTradeNo = place();
        wechat.payDuringClose(outTradeNo);
        clock.advance(TTL.plus(GRACE));

        ReconcileReport report = run();

        assertEquals(OrderStatus.PAID, stored(outTradeNo).status(), "WeChat Pay holds the money, so the store must");
        assertEquals(FindingKind.PAYMENT_RACED_CLOSE, report.findings().get(0).kind());
        assertTrue(report.findings().get(0).repaired());
        assertEquals(1, report.expired().repaired());
    }

    @Test
    void staleUnpaidOrderPaidAtWeChatPayIsAppliedBeforeItExpires() {
        String outTradeNo = place();
        wechat.pay(outTradeNo);
        clock.advance(STALE);

        ReconcileReport report = run();

        assertEquals(OrderStatus.PAID, stored(outTradeNo).status());
        assertEquals(new ReconcileReport.PhaseCounts(1, 0, 1, 0, 0), report.stale());
        assertEquals("NOTPAY → PAID", report.findings().get(0).detail());
    }

    @Test
    void staleRefundStuckInProcessingIsSettledAsSuccess() {
        String outTradeNo = placePaidAndNotified();
        String outRefundNo = refundWhole(outTradeNo);
        wechat.settleRefund(outRefundNo, RefundStatus.SUCCESS);
        clock.advance(STALE);

        ReconcileReport report = run();

        Order order = stored(outTradeNo);
        assertEquals(OrderStatus.REFUNDED, order.status());
        assertEquals(
                RefundStatus.SUCCESS, order.refund(outRefundNo).orElseThrow().status());
        assertEquals(2468L, order.refundedTotal());
        assertEquals(
                "REFUNDING → REFUNDED; refund " + outRefundNo + " PROCESSING → SUCCESS",
                report.findings().get(0).detail());
    }

    @Test
    void staleRefundEndingAbnormalIsRecordedAndLaterSettledSuccess() {
        String outTradeNo = placePaidAndNotified();
        String outRefundNo = refundWhole(outTradeNo);
        wechat.settleRefund(outRefundNo, RefundStatus.ABNORMAL);
        clock.advance(STALE);

        run();

        Order abnormal = stored(outTradeNo);
        assertEquals(
                RefundStatus.ABNORMAL,
                abnormal.refund(outRefundNo).orElseThrow().status());
        assertEquals(OrderStatus.PAID, abnormal.status());
        assertEquals(0, abnormal.refundableRemainder(), "an abnormal refund keeps its amount reserved");

        // The merchant resolves it by hand; the refund's notification is lost again.
        wechat.settleRefund(outRefundNo, RefundStatus.SUCCESS);
        clock.advance(STALE);
        ReconcileReport later = run();

        assertEquals(OrderStatus.REFUNDED, stored(outTradeNo).status());
        assertEquals(1, later.stale().repaired());
    }

    @Test
    void secondRunChangesNothing() {
        String expired = place();
        String paidLost = place();
        wechat.pay(paidLost);
        String refunded = placePaidAndNotified();
        wechat.settleRefund(refundWhole(refunded), RefundStatus.SUCCESS);
        String abnormal = placePaidAndNotified();
        wechat.settleRefund(refundWhole(abnormal), RefundStatus.ABNORMAL);
        clock.advance(TTL.plus(GRACE));

        ReconcileReport first = run();
        Map<String, Order> afterFirst = store.snapshot();
        clock.advance(STALE);
        ReconcileReport second = run();

        assertFalse(first.changedNothing());
        assertEquals(OrderStatus.CLOSED, afterFirst.get(expired).status());
        assertEquals(OrderStatus.PAID, afterFirst.get(paidLost).status());
        assertEquals(OrderStatus.REFUNDED, afterFirst.get(refunded).status());
        assertTrue(second.changedNothing(), second.summary());
        assertEquals(List.of(), second.findings());
        assertEquals(1, second.stale().unchanged(), "the abnormal refund is asked about again, and left as it is");
        assertEquals(afterFirst, store.snapshot());
    }

    @Test
    void boundStopsTheRunAndItsCursorResumesWhereItStopped() {
        List<String> outTradeNos = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            outTradeNos.add(place());
        }
        outTradeNos.sort(null);
        clock.advance(TTL.plus(GRACE));

        ReconcileReport first = run(null, 2, null);

        assertTrue(first.boundHit());
        assertEquals(new ReconcileCursor(ReconcilePhase.EXPIRED, outTradeNos.get(1), 0), first.cursor());
        assertEquals(
                List.of(
                        OrderStatus.CLOSED,
                        OrderStatus.CLOSED,
                        OrderStatus.NOTPAY,
                        OrderStatus.NOTPAY,
                        OrderStatus.NOTPAY),
                outTradeNos.stream().map(o -> stored(o).status()).toList());

        ReconcileReport second = run(null, 2, first.cursor());
        assertEquals(new ReconcileCursor(ReconcilePhase.EXPIRED, outTradeNos.get(3), 0), second.cursor());
        assertEquals(2, second.expired().closed());

        ReconcileReport third = run(null, 2, second.cursor());
        assertFalse(third.boundHit());
        assertNull(third.cursor());
        assertEquals(1, third.expired().closed());
        assertTrue(outTradeNos.stream().allMatch(o -> stored(o).status() == OrderStatus.CLOSED));
    }

    @Test
    void wechatPayFailureOnOneOrderIsAFindingAndTheRunGoesOn() {
        String failing = place();
        String other = place();
        wechat.failFor(failing);
        clock.advance(TTL.plus(GRACE));

        ReconcileReport report = run();

        assertEquals(OrderStatus.NOTPAY, stored(failing).status());
        assertEquals(OrderStatus.CLOSED, stored(other).status());
        assertEquals(1, report.expired().failed());
        assertEquals(FindingKind.WECHATPAY_FAILED, report.findings().get(0).kind());
        assertFalse(report.findings().get(0).repaired());
        assertNull(report.cursor());

        wechat.recover(failing);
        run();
        assertEquals(OrderStatus.CLOSED, stored(failing).status());
    }

    @Test
    void storeFailureStopsTheRunAndTheNextRunResumesFromItsCursor() {
        List<String> outTradeNos = new ArrayList<>(List.of(place(), place(), place()));
        outTradeNos.sort(null);
        clock.advance(TTL.plus(GRACE));
        store.failAfterWrites(1);

        ReconcileReport broken = run();

        assertNotNull(broken.abortedBy());
        assertEquals(new ReconcileCursor(ReconcilePhase.EXPIRED, outTradeNos.get(0), 0), broken.cursor());
        store.recover();
        assertEquals(OrderStatus.CLOSED, stored(outTradeNos.get(0)).status());

        ReconcileReport resumed = run(null, 1000, broken.cursor());

        assertNull(resumed.abortedBy());
        assertNull(resumed.cursor());
        assertTrue(outTradeNos.stream().allMatch(o -> stored(o).status() == OrderStatus.CLOSED));
    }

    @Test
    void billLinesAreComparedWithTheStoreAndWhatAQueryCanRepairIsRepaired() {
        String paidLost = place();
        wechat.pay(paidLost);
        String agreeing = placePaidAndNotified();
        String refundedOutside = placePaidAndNotified();
        wechat.refundOutside(refundedOutside, "MANUAL-1", 1000, RefundStatus.SUCCESS);
        String refundLost = placePaidAndNotified();
        String outRefundNo = refundWhole(refundLost);
        wechat.settleRefund(outRefundNo, RefundStatus.SUCCESS);
        String wrongAmount = placePaidAndNotified();
        bills.put(
                BILL_DATE,
                TradeBillParserTest.bill(
                        String.join(",", TradeBillParser.HEADER),
                        TradeBillParserTest.payment(paidLost, "24.68"),
                        TradeBillParserTest.payment(agreeing, "24.68"),
                        TradeBillParserTest.payment("WXNOTOURS", "5.00"),
                        TradeBillParserTest.payment(wrongAmount, "24.67"),
                        TradeBillParserTest.refund(refundedOutside, "MANUAL-1", "10.00"),
                        TradeBillParserTest.refund(refundLost, outRefundNo, "24.68"),
                        String.join(",", TradeBillParser.SUMMARY_HEADER),
                        TradeBillParserTest.summary(6, "79.03", "34.68", "79.03", "34.68")));

        ReconcileReport report = run(BILL_DATE, 1000, null);

        assertEquals(OrderStatus.PAID, stored(paidLost).status());
        assertEquals(OrderStatus.PARTIALLY_REFUNDED, stored(refundedOutside).status());
        assertEquals(1000L, stored(refundedOutside).refundedTotal());
        assertEquals(OrderStatus.REFUNDED, stored(refundLost).status());
        Map<FindingKind, List<Finding>> byKind = new HashMap<>();
        report.findings()
                .forEach(f ->
                        byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(f));
        assertEquals(
                List.of(new Finding(
                        "WXNOTOURS",
                        null,
                        FindingKind.ORDER_MISSING,
                        "paid 500 fen at WeChat Pay (transaction 4200000001WXNOTOURS), no such order in the store",
                        false)),
                byKind.get(FindingKind.ORDER_MISSING));
        assertEquals(
                List.of(new Finding(
                        wrongAmount,
                        null,
                        FindingKind.AMOUNT_MISMATCH,
                        "bill says 2467 fen, store says 2468 fen",
                        false)),
                byKind.get(FindingKind.AMOUNT_MISMATCH));
        assertTrue(byKind.get(FindingKind.REFUND_MISSING).get(0).repaired());
        assertEquals(
                List.of(paidLost, refundLost),
                byKind.get(FindingKind.STATE_MISMATCH).stream()
                        .filter(Finding::repaired)
                        .map(Finding::outTradeNo)
                        .toList());
        assertEquals(new ReconcileReport.PhaseCounts(6, 0, 3, 1, 2), report.bill());

        Map<String, Order> afterFirst = store.snapshot();
        ReconcileReport second = run(BILL_DATE, 1000, null);
        assertTrue(second.changedNothing(), second.summary());
        assertEquals(afterFirst, store.snapshot());
        assertEquals(
                List.of(FindingKind.ORDER_MISSING, FindingKind.AMOUNT_MISMATCH),
                second.findings().stream().map(Finding::kind).toList(),
                "what cannot be repaired is reported again");
        assertTrue(
                report.summary()
                        .contains("bill of 2026-11-22: examined 6, closed 0, repaired 3, unchanged 1," + " failed 2"),
                report.summary());
    }

    /** A payment WeChat Pay never took lands in the store (a leaked key, a mis-applied notification). */
    private String placeWithForgedPayment() {
        String outTradeNo = place();
        Order unpaid = stored(outTradeNo);
        Order forged = unpaid.applyPayment(
                        io.wxpayfn.order.DirectSnapshots.payment(
                                unpaid.appid(),
                                unpaid.mchid(),
                                outTradeNo,
                                "4200FORGED" + outTradeNo,
                                "SUCCESS",
                                unpaid.total(),
                                unpaid.total(),
                                unpaid.openid(),
                                clock.instant()),
                        "forged-" + outTradeNo,
                        clock.instant())
                .orElseThrow();
        assertTrue(store.replaceIfCurrent(unpaid, forged));
        return outTradeNo;
    }

    private void billListing(String... paidOutTradeNos) {
        List<String> lines = new ArrayList<>(List.of(String.join(",", TradeBillParser.HEADER)));
        for (String outTradeNo : paidOutTradeNos) {
            lines.add(TradeBillParserTest.payment(outTradeNo, yuan(2468)));
        }
        lines.add(String.join(",", TradeBillParser.SUMMARY_HEADER));
        String total = yuan(2468L * paidOutTradeNos.length);
        lines.add(TradeBillParserTest.summary(paidOutTradeNos.length, total, "0.00", total, "0.00"));
        bills.put(BILL_DATE, TradeBillParserTest.bill(lines.toArray(String[]::new)));
    }

    @Test
    void paidOrdersTheBillDoesNotListAreReportedAfterAskingWeChatPayAndLeftAsTheyAre() {
        String billed = placePaidAndNotified();
        String forged = placeWithForgedPayment();
        String unbilled = placePaidAndNotified();
        clock.advance(Duration.ofDays(1));
        placePaidAndNotified(); // paid the next day: not the bill's business
        billListing(billed);

        ReconcileReport report = run(BILL_DATE, 1000, null);

        assertEquals(
                List.of(
                        new Finding(
                                forged,
                                null,
                                FindingKind.PAID_NOT_AT_WECHATPAY,
                                "store holds it PAID, paid at"
                                        + " 2026-11-22T02:00:00Z by transaction 4200FORGED" + forged
                                        + "; the bill of 2026-11-22 does"
                                        + " not list it; WeChat Pay's query says NOTPAY",
                                false),
                        new Finding(
                                unbilled,
                                null,
                                FindingKind.PAID_NOT_IN_BILL,
                                "store holds it PAID, paid at"
                                        + " 2026-11-22T02:00:00Z by transaction 4200" + unbilled
                                        + "; the bill of 2026-11-22 does not"
                                        + " list it; WeChat Pay's query says SUCCESS, transaction 4200" + unbilled
                                        + ", paid at "
                                        + clock.instant(),
                                false)),
                report.findings().stream()
                        .sorted(java.util.Comparator.comparing(f -> f.kind().name()))
                        .toList());
        assertEquals(new ReconcileReport.PhaseCounts(3, 0, 0, 1, 2), report.bill());
        assertEquals(OrderStatus.PAID, stored(forged).status(), "a payment is never undone by a machine");
        assertNull(report.cursor());

        Map<String, Order> afterFirst = store.snapshot();
        ReconcileReport second = run(BILL_DATE, 1000, null);
        assertEquals(2, second.findings().size(), "still open, reported again");
        assertEquals(afterFirst, store.snapshot());
    }

    @Test
    void storeSideOfTheBillIsBoundedAndResumesFromItsCursor() {
        String billed = placePaidAndNotified();
        List<String> unbilled =
                new ArrayList<>(List.of(placeWithForgedPayment(), placeWithForgedPayment(), placeWithForgedPayment()));
        unbilled.sort(null);
        billListing(billed);

        ReconcileReport first = run(BILL_DATE, 2, null);

        assertTrue(first.boundHit());
        assertEquals(FindingKind.PAID_NOT_AT_WECHATPAY, first.findings().get(0).kind());
        assertEquals(unbilled.get(0), first.findings().get(0).outTradeNo());
        ReconcileReport second = run(BILL_DATE, 1000, first.cursor());
        assertNull(second.cursor());
        assertEquals(
                unbilled.subList(1, 3),
                second.findings().stream().map(Finding::outTradeNo).toList());
        assertEquals(0, second.bill().unchanged(), "the bill's lines were handled by the first run");
    }

    @Test
    void refundStoredAsRefusedThatTheBillShowsPaidOutIsRecordedFromWeChatPaysQuery() {
        String outTradeNo = placePaidAndNotified();
        wechat.refuseRefund(outTradeNo + "R01");
        org.junit.jupiter.api.Assertions.assertThrows(
                io.wxpayfn.order.WeChatPayRejectedException.class,
                () -> service.refund(Caller.asOperator(), outTradeNo, 1000L, "test", null));
        assertEquals(
                RefundStatus.REJECTED,
                stored(outTradeNo).refund(outTradeNo + "R01").orElseThrow().status());
        wechat.refundOutside(outTradeNo, outTradeNo + "R01", 1000, RefundStatus.SUCCESS);
        bills.put(
                BILL_DATE,
                TradeBillParserTest.bill(
                        String.join(",", TradeBillParser.HEADER),
                        TradeBillParserTest.payment(outTradeNo, yuan(2468)),
                        TradeBillParserTest.refund(outTradeNo, outTradeNo + "R01", yuan(1000)),
                        String.join(",", TradeBillParser.SUMMARY_HEADER),
                        TradeBillParserTest.summary(2, yuan(2468), yuan(1000), yuan(2468), yuan(1000))));

        ReconcileReport report = run(BILL_DATE, 1000, null);

        assertEquals(
                RefundStatus.SUCCESS,
                stored(outTradeNo).refund(outTradeNo + "R01").orElseThrow().status());
        assertEquals(1000, stored(outTradeNo).refundedTotal());
        assertEquals(
                List.of(new Finding(
                        outTradeNo,
                        outTradeNo + "R01",
                        FindingKind.STATE_MISMATCH,
                        "bill says refund SUCCESS, store had REJECTED, WeChat Pay now says SUCCESS",
                        true)),
                report.findings());
    }

    @Test
    void malformedBillAppliesNothingAndLeavesTheCursorOnTheBill() {
        String paidLost = place();
        wechat.pay(paidLost);
        bills.put(
                BILL_DATE,
                TradeBillParserTest.bill(
                        String.join(",", TradeBillParser.HEADER),
                        TradeBillParserTest.payment(paidLost, "24.68"),
                        TradeBillParserTest.payment("WXOTHER", "1.234"),
                        String.join(",", TradeBillParser.SUMMARY_HEADER),
                        TradeBillParserTest.summary(2, "25.91", "0.00", "25.91", "0.00")));

        ReconcileReport report = run(BILL_DATE, 1000, null);

        assertEquals(OrderStatus.NOTPAY, stored(paidLost).status(), "nothing of a malformed bill is applied");
        assertEquals(FindingKind.BILL_UNAVAILABLE, report.findings().get(0).kind());
        assertTrue(
                report.findings().get(0).detail().contains("trade bill line 3"),
                report.findings().get(0).detail());
        assertEquals(new ReconcileCursor(ReconcilePhase.BILL, null, 0), report.cursor());
        assertTrue(report.summary().contains("resume from: BILL after line 0"), report.summary());
    }

    @Test
    void billCursorResumesAfterTheLastLineHandled() {
        String a = place();
        String b = place();
        wechat.pay(a);
        wechat.pay(b);
        bills.put(
                BILL_DATE,
                TradeBillParserTest.bill(
                        String.join(",", TradeBillParser.HEADER),
                        TradeBillParserTest.payment(a, yuan(2468)),
                        TradeBillParserTest.payment(b, yuan(2468)),
                        String.join(",", TradeBillParser.SUMMARY_HEADER),
                        TradeBillParserTest.summary(2, "49.36", "0.00", "49.36", "0.00")));

        ReconcileReport first = run(BILL_DATE, 1, new ReconcileCursor(ReconcilePhase.BILL, null, 0));

        assertEquals(new ReconcileCursor(ReconcilePhase.BILL, null, 2), first.cursor());
        assertEquals(OrderStatus.PAID, stored(a).status());
        assertEquals(OrderStatus.NOTPAY, stored(b).status());

        ReconcileReport second = run(BILL_DATE, 1, first.cursor());
        assertNull(second.cursor());
        assertEquals(OrderStatus.PAID, stored(b).status());
    }
}
