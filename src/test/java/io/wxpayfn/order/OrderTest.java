package io.wxpayfn.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderTest {

    private static final Instant NOW = Instant.parse("2026-11-23T04:00:00Z");
    private static final String APPID = "wxd678efh567hg6787";
    private static final String MCHID = "1900000109";

    /** An unpaid direct-merchant order of two lattes, created at NOW; other order tests start from it too. */
    static Order unpaid() {
        return Order.unpaid(
                "WX0123456789abcdef",
                APPID,
                MCHID,
                "openid-alice",
                "key-00000001",
                "Latte x2",
                List.of(new OrderItem("latte", "Latte", 2800, 2)),
                NOW.plus(Duration.ofMinutes(30)),
                NOW);
    }

    private static PaymentSnapshot success(Order order, long total) {
        return DirectSnapshots.payment(
                APPID,
                MCHID,
                order.outTradeNo(),
                "4200000001",
                "SUCCESS",
                total,
                total,
                "openid-alice",
                NOW.plusSeconds(60));
    }

    private static Order paid() {
        Order order = unpaid();
        return order.applyPayment(success(order, 5600), "n-pay", NOW).orElseThrow();
    }

    private static RefundSnapshot refundAt(Order order, String outRefundNo, RefundStatus status, long amount) {
        return DirectSnapshots.refund(
                MCHID,
                order.outTradeNo(),
                order.transactionId(),
                outRefundNo,
                "5030000" + outRefundNo,
                status,
                amount,
                order.total(),
                NOW);
    }

    @Test
    void totalIsPricedFromItemsInFen() {
        assertEquals(5600, unpaid().total());
        assertEquals(1, unpaid().status().payStatus());
    }

    @Test
    void successfulPaymentMovesUnpaidToPaidOnceAndRecordsTheNotification() {
        Order order = unpaid();
        Order paid = order.applyPayment(success(order, 5600), "n-1", NOW).orElseThrow();
        assertEquals(OrderStatus.PAID, paid.status());
        assertEquals(2, paid.status().payStatus());
        assertEquals("4200000001", paid.transactionId());
        assertEquals(order.version() + 1, paid.version());
        assertTrue(paid.hasApplied("n-1"));
        assertTrue(paid.applyPayment(success(order, 5600), "n-1", NOW).isEmpty(), "same notification twice");
        assertTrue(paid.applyPayment(success(order, 5600), "n-2", NOW).isEmpty(), "same payment, another id");
        assertTrue(paid.applyPayment(success(order, 5600), null, NOW).isEmpty(), "same payment from a query");
    }

    @Test
    void paymentWithAnotherAmountIsAMismatchAndChangesNothing() {
        Order order = unpaid();
        assertThrows(NotificationMismatchException.class, () -> order.applyPayment(success(order, 1), "n-1", NOW));
    }

    @Test
    void paymentForAnotherMerchantAppOrPayerIsAMismatch() {
        Order order = unpaid();
        PaymentSnapshot otherMerchant = DirectSnapshots.payment(
                APPID, "1900000999", order.outTradeNo(), "42", "SUCCESS", 5600L, 5600L, "openid-alice", NOW);
        PaymentSnapshot otherApp = DirectSnapshots.payment(
                "wx0000000000000000", MCHID, order.outTradeNo(), "42", "SUCCESS", 5600L, 5600L, "openid-alice", NOW);
        PaymentSnapshot otherPayer = DirectSnapshots.payment(
                APPID, MCHID, order.outTradeNo(), "42", "SUCCESS", 5600L, 5600L, "openid-mallory", NOW);
        for (PaymentSnapshot wrong : List.of(otherMerchant, otherApp, otherPayer)) {
            assertThrows(NotificationMismatchException.class, () -> order.applyPayment(wrong, "n", NOW));
        }
    }

    @Test
    void paymentTakenAfterALocalCloseIsStillApplied() {
        Order closed = unpaid().close(NOW).orElseThrow();
        Order paid = closed.applyPayment(success(closed, 5600), null, NOW).orElseThrow();
        assertEquals(OrderStatus.PAID, paid.status());
    }

    @Test
    void closedAtWeChatPayClosesOnlyAnUnpaidOrder() {
        Order order = unpaid();
        PaymentSnapshot closed =
                DirectSnapshots.payment(APPID, MCHID, order.outTradeNo(), null, "CLOSED", 5600L, null, null, null);
        assertEquals(
                OrderStatus.CLOSED,
                order.applyPayment(closed, null, NOW).orElseThrow().status());
        assertTrue(paid().applyPayment(closed, null, NOW).isEmpty());
        assertTrue(paid().close(NOW).isEmpty());
    }

    @Test
    void partialRefundsAccumulateToTheTotalAndNoFurther() {
        Order order = paid();
        Order first = order.requestRefund(order.nextOutRefundNo(), 1000, "r", "operator", NOW);
        assertEquals(OrderStatus.REFUNDING, first.status());
        assertEquals(3, first.status().payStatus());
        assertEquals(4600, first.refundableRemainder());
        first = first.applyRefund(refundAt(first, first.outTradeNo() + "R01", RefundStatus.SUCCESS, 1000), "r1", NOW)
                .orElseThrow();
        assertEquals(OrderStatus.PARTIALLY_REFUNDED, first.status());
        assertEquals(1000, first.refundedTotal());

        Order second = first.requestRefund(first.nextOutRefundNo(), 4600, "r", "operator", NOW);
        assertEquals(first.outTradeNo() + "R02", second.refunds().get(1).outRefundNo());
        Order finalOrder = second;
        assertThrows(
                RefundLimitExceededException.class,
                () -> finalOrder.requestRefund(finalOrder.nextOutRefundNo(), 1, "r", "operator", NOW));
        Order refunded = second.applyRefund(
                        refundAt(second, second.outTradeNo() + "R02", RefundStatus.SUCCESS, 4600), "r2", NOW)
                .orElseThrow();
        assertEquals(OrderStatus.REFUNDED, refunded.status());
        assertEquals(4, refunded.status().payStatus());
        assertEquals(5600, refunded.refundedTotal());
        assertEquals(0, refunded.refundableRemainder());
        assertThrows(
                StateConflictException.class,
                () -> refunded.requestRefund(refunded.nextOutRefundNo(), 1, "r", "operator", NOW));
    }

    @Test
    void refundAboveWhatRemainsIsRefused() {
        Order order = paid();
        assertThrows(
                RefundLimitExceededException.class,
                () -> order.requestRefund(order.nextOutRefundNo(), 5601, null, "operator", NOW));
    }

    @Test
    void refundOfAnUnpaidOrderIsAStateConflict() {
        Order order = unpaid();
        assertThrows(
                StateConflictException.class,
                () -> order.requestRefund(order.nextOutRefundNo(), 100, null, "operator", NOW));
    }

    @Test
    void abnormalRefundReturnsTheOrderToPaidAndKeepsItsAmountReserved() {
        Order order = paid();
        Order refunding = order.requestRefund(order.nextOutRefundNo(), 5600, null, "owner", NOW);
        String no = refunding.refunds().get(0).outRefundNo();
        Order abnormal = refunding
                .applyRefund(refundAt(refunding, no, RefundStatus.ABNORMAL, 5600), "a", NOW)
                .orElseThrow();
        assertEquals(OrderStatus.PAID, abnormal.status());
        assertEquals(RefundStatus.ABNORMAL, abnormal.refund(no).orElseThrow().status());
        assertEquals(0, abnormal.refundableRemainder(), "an abnormal refund may still be paid out by hand");
        assertThrows(
                RefundLimitExceededException.class,
                () -> abnormal.requestRefund(abnormal.nextOutRefundNo(), 1, null, "operator", NOW));
        Order later = abnormal.applyRefund(refundAt(abnormal, no, RefundStatus.SUCCESS, 5600), "s", NOW)
                .orElseThrow();
        assertEquals(OrderStatus.REFUNDED, later.status());
    }

    @Test
    void refundStatesNeverMoveBackwards() {
        Order order = paid();
        Order refunding = order.requestRefund(order.nextOutRefundNo(), 100, null, "operator", NOW);
        String no = refunding.refunds().get(0).outRefundNo();
        Order done = refunding
                .applyRefund(refundAt(refunding, no, RefundStatus.SUCCESS, 100), "s", NOW)
                .orElseThrow();
        assertTrue(done.applyRefund(refundAt(done, no, RefundStatus.PROCESSING, 100), "late", NOW)
                .isEmpty());
        assertTrue(done.applyRefund(refundAt(done, no, RefundStatus.ABNORMAL, 100), "late2", NOW)
                .isEmpty());
    }

    @Test
    void rejectedRefundReleasesItsAmount() {
        Order order = paid();
        Order refunding = order.requestRefund(order.nextOutRefundNo(), 5600, null, "operator", NOW);
        Order rejected = refunding
                .rejectRefund(refunding.refunds().get(0).outRefundNo(), "NOT_ENOUGH", NOW)
                .orElseThrow();
        assertEquals(OrderStatus.PAID, rejected.status());
        assertEquals(5600, rejected.refundableRemainder());
    }

    @Test
    void refundWithAnotherAmountThanStoredIsAMismatch() {
        Order order = paid();
        Order refunding = order.requestRefund(order.nextOutRefundNo(), 100, null, "operator", NOW);
        String no = refunding.refunds().get(0).outRefundNo();
        assertThrows(
                NotificationMismatchException.class,
                () -> refunding.applyRefund(refundAt(refunding, no, RefundStatus.SUCCESS, 200), "x", NOW));
    }

    private static Order rejected(Order paid, long amount) {
        Order refunding = paid.requestRefund(paid.nextOutRefundNo(), amount, null, "operator", NOW);
        return refunding
                .rejectRefund(
                        refunding.refunds().get(refunding.refunds().size() - 1).outRefundNo(), "NOT_ENOUGH", NOW)
                .orElseThrow();
    }

    @Test
    void refundWeChatPayRefusedAndThenReportsPaidOutIsSuccessAndCountsAsRefunded() {
        Order rejected = rejected(paid(), 1000);
        String no = rejected.refunds().get(0).outRefundNo();
        assertEquals(5600, rejected.refundableRemainder());

        Order paidOut = rejected.applyRefund(refundAt(rejected, no, RefundStatus.SUCCESS, 1000), "n-s", NOW)
                .orElseThrow();

        assertEquals(RefundStatus.SUCCESS, paidOut.refund(no).orElseThrow().status());
        assertEquals(null, paidOut.refund(no).orElseThrow().failure());
        assertEquals(1000, paidOut.refundedTotal());
        assertEquals(4600, paidOut.refundableRemainder());
        assertEquals(OrderStatus.PARTIALLY_REFUNDED, paidOut.status());
    }

    @Test
    void refundWeChatPayRefusedAndThenReportsInFlightOrAbnormalIsReservedAgain() {
        Order rejected = rejected(paid(), 1000);
        String no = rejected.refunds().get(0).outRefundNo();
        for (RefundStatus status : List.of(RefundStatus.PROCESSING, RefundStatus.ABNORMAL)) {
            Order moved = rejected.applyRefund(refundAt(rejected, no, status, 1000), "n-" + status, NOW)
                    .orElseThrow();
            assertEquals(status, moved.refund(no).orElseThrow().status());
            assertEquals(4600, moved.refundableRemainder());
        }
        Order closed = rejected.applyRefund(refundAt(rejected, no, RefundStatus.CLOSED, 1000), "n-c", NOW)
                .orElseThrow();
        assertEquals(5600, closed.refundableRemainder(), "closed unpaid: the amount stays released");
    }

    @Test
    void payoutOfARefusedRefundThatNoLongerFitsTheOrderIsAMismatch() {
        Order rejected = rejected(paid(), 1000);
        String no = rejected.refunds().get(0).outRefundNo();
        Order whole = rejected.requestRefund(rejected.nextOutRefundNo(), 5600, null, "operator", NOW);

        NotificationMismatchException alert = assertThrows(
                NotificationMismatchException.class,
                () -> whole.applyRefund(refundAt(whole, no, RefundStatus.SUCCESS, 1000), "n-s", NOW));
        assertTrue(alert.getMessage().contains("no longer fit"), alert.getMessage());
    }

    @Test
    void refusedRefundIsResubmittedUnderItsNumberOnlyWhileItStillFits() {
        Order rejected = rejected(paid(), 1000);
        String no = rejected.refunds().get(0).outRefundNo();

        Order again = rejected.resubmitRejectedRefund(no, NOW);

        assertEquals(RefundStatus.PROCESSING, again.refund(no).orElseThrow().status());
        assertEquals(OrderStatus.REFUNDING, again.status());
        assertEquals(4600, again.refundableRemainder());
        assertEquals(1, again.refunds().size());
        Order full = rejected.requestRefund(rejected.nextOutRefundNo(), 5000, null, "operator", NOW);
        assertThrows(RefundLimitExceededException.class, () -> full.resubmitRejectedRefund(no, NOW));
        assertThrows(StateConflictException.class, () -> again.resubmitRejectedRefund(no, NOW));
    }

    @Test
    void refundOfWhatRemainsWhenNothingDoesIsALimitNotAnInvalidAmount() {
        Order order = paid();
        Order whole = order.requestRefund(order.nextOutRefundNo(), 5600, null, "owner", NOW);
        assertThrows(
                RefundLimitExceededException.class,
                () -> whole.requestRefund(whole.nextOutRefundNo(), whole.refundableRemainder(), null, "operator", NOW));
    }

    @Test
    void refundNamingAnotherTransactionIsAMismatch() {
        Order order = paid();
        Order refunding = order.requestRefund(order.nextOutRefundNo(), 100, null, "operator", NOW);
        String no = refunding.refunds().get(0).outRefundNo();
        RefundSnapshot foreign = DirectSnapshots.refund(
                MCHID, refunding.outTradeNo(), "4200000999", no, "50300001", RefundStatus.SUCCESS, 100, 5600, NOW);
        assertThrows(NotificationMismatchException.class, () -> refunding.applyRefund(foreign, "n", NOW));
    }

    @Test
    void paidSnapshotWithoutTransactionAmountOrPayerIsRefusedAndNotApplied() {
        Order order = unpaid();
        List<PaymentSnapshot> incomplete = List.of(
                DirectSnapshots.payment(
                        APPID, MCHID, order.outTradeNo(), null, "SUCCESS", 5600L, 5600L, "openid-alice", NOW),
                DirectSnapshots.payment(
                        APPID, MCHID, order.outTradeNo(), "42", "SUCCESS", null, 5600L, "openid-alice", NOW),
                DirectSnapshots.payment(
                        APPID, MCHID, order.outTradeNo(), "42", "SUCCESS", 5600L, null, "openid-alice", NOW),
                DirectSnapshots.payment(APPID, MCHID, order.outTradeNo(), "42", "SUCCESS", 5600L, 5600L, null, NOW));
        for (PaymentSnapshot payment : incomplete) {
            NotificationRejectedException refused =
                    assertThrows(NotificationRejectedException.class, () -> order.applyPayment(payment, "n", NOW));
            assertTrue(refused.getMessage().contains("lacks"), refused.getMessage());
        }
        PaymentSnapshot payerPaidMore = DirectSnapshots.payment(
                APPID, MCHID, order.outTradeNo(), "42", "SUCCESS", 5600L, 5601L, "openid-alice", NOW);
        assertThrows(NotificationMismatchException.class, () -> order.applyPayment(payerPaidMore, "n", NOW));
    }

    @Test
    void successTimeAheadOfTheClockIsClampedToNow() {
        Order order = unpaid();
        PaymentSnapshot early = DirectSnapshots.payment(
                APPID,
                MCHID,
                order.outTradeNo(),
                "42",
                "SUCCESS",
                5600L,
                5600L,
                "openid-alice",
                NOW.plus(Duration.ofDays(30)));
        assertEquals(NOW, order.applyPayment(early, "n", NOW).orElseThrow().paidAt());
        PaymentSnapshot past = DirectSnapshots.payment(
                APPID, MCHID, order.outTradeNo(), "42", "SUCCESS", 5600L, 5600L, "openid-alice", NOW.minusSeconds(5));
        assertEquals(
                NOW.minusSeconds(5),
                order.applyPayment(past, "n", NOW).orElseThrow().paidAt());
    }

    @Test
    void syncIsClaimedAtMostOncePerIntervalWithoutTouchingTheOrder() {
        Order order = unpaid();
        Duration interval = Duration.ofSeconds(5);
        Order claimed = order.claimSync(NOW, interval).orElseThrow();
        assertEquals(NOW, claimed.syncedAt());
        assertEquals(order.version() + 1, claimed.version());
        assertEquals(order.updatedAt(), claimed.updatedAt(), "a claim is no change of the order");
        assertTrue(claimed.claimSync(NOW.plusSeconds(4), interval).isEmpty());
        assertEquals(
                NOW.plusSeconds(5),
                claimed.claimSync(NOW.plusSeconds(5), interval).orElseThrow().syncedAt());
    }

    @Test
    void fiftyOneRefundsAreRefused() {
        Order order = paid();
        for (int i = 0; i < WeChatPayRules.MAX_REFUNDS_PER_ORDER; i++) {
            order = order.requestRefund(order.nextOutRefundNo(), 100, null, "operator", NOW);
        }
        Order full = order;
        assertThrows(
                RefundLimitExceededException.class,
                () -> full.requestRefund(full.nextOutRefundNo(), 100, null, "operator", NOW));
    }

    @Test
    void aRefundOfAPaymentOlderThanWeChatPaysRefundPeriodIsRefusedBeforeItIsReserved() {
        Order order = paid();
        Instant lastMoment = order.paidAt().plus(WeChatPayRules.REFUND_PERIOD);
        assertEquals(
                RefundStatus.PROCESSING,
                order.requestRefund(order.nextOutRefundNo(), 100, null, "operator", lastMoment)
                        .refunds()
                        .get(0)
                        .status(),
                "a refund exactly one period after the payment is still WeChat Pay's to take");
        RefundNotAllowedException late = assertThrows(
                RefundNotAllowedException.class,
                () -> order.requestRefund(order.nextOutRefundNo(), 100, null, "operator", lastMoment.plusSeconds(1)));
        assertTrue(late.getMessage().contains("more than 365 days ago"), late.getMessage());
    }

    @Test
    void aRejectedRefundIsNotResubmittedOnceTheRefundPeriodHasPassed() {
        Order order = paid();
        Order requested = order.requestRefund(order.nextOutRefundNo(), 100, null, "operator", NOW);
        String outRefundNo = requested.refunds().get(0).outRefundNo();
        Order rejected = requested.rejectRefund(outRefundNo, "NOT_ENOUGH", NOW).orElseThrow();
        Instant late = order.paidAt().plus(WeChatPayRules.REFUND_PERIOD).plusSeconds(1);
        assertThrows(RefundNotAllowedException.class, () -> rejected.resubmitRejectedRefund(outRefundNo, late));
    }
}
