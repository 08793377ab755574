package io.wxpayfn.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The events each transition records, and the outbox's delivery rules, on the domain alone. */
class OrderEventsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T04:00:00Z");
    private static final String APPID = "wxd678efh567hg6787";
    private static final String MCHID = "1900000109";
    private static final Duration LEASE = Duration.ofSeconds(11);
    private static final DeliverySchedule SCHEDULE = DeliverySchedule.standard(LEASE);

    private static Order unpaid() {
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

    private static PaymentSnapshot payment(Order order, String tradeState) {
        boolean paid = "SUCCESS".equals(tradeState);
        return DirectSnapshots.payment(
                APPID,
                MCHID,
                order.outTradeNo(),
                paid ? "4200000001" : null,
                tradeState,
                order.total(),
                paid ? order.total() : null,
                paid ? "openid-alice" : null,
                NOW.plusSeconds(60));
    }

    private static Order paid() {
        Order order = unpaid();
        return order.applyPayment(payment(order, "SUCCESS"), "n-pay", NOW).orElseThrow();
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

    private static List<OrderEventType> types(Order order) {
        return order.events().stream().map(OrderEvent::type).toList();
    }

    @Test
    void paidThenRefundedOrderRecordsPaidRefundRequestedAndRefundSucceededEachInItsOwnTransition() {
        Order paid = paid();
        Order refunding = paid.requestRefund("R01", 5600, "cold", "owner", NOW.plusSeconds(1));
        Order refunded = refunding
                .applyRefund(refundAt(refunding, "R01", RefundStatus.SUCCESS, 5600), "n-r", NOW.plusSeconds(2))
                .orElseThrow();

        assertEquals(List.of(OrderEventType.ORDER_PAID), types(paid));
        assertEquals(List.of(OrderEventType.ORDER_PAID, OrderEventType.REFUND_REQUESTED), types(refunding));
        assertEquals(
                List.of(OrderEventType.ORDER_PAID, OrderEventType.REFUND_REQUESTED, OrderEventType.REFUND_SUCCEEDED),
                types(refunded));
        OrderEvent succeeded = refunded.events().get(2);
        assertEquals("evt_WX0123456789abcdef_3", succeeded.id());
        assertEquals(3, succeeded.sequence());
        assertEquals("R01", succeeded.outRefundNo());
        assertEquals(OrderStatus.REFUNDED, succeeded.order().status(), "the order as it stood right after the event");
        assertEquals(List.of(), succeeded.order().events(), "an event's copy of the order holds no events");
        assertEquals(List.of(), succeeded.order().appliedNotificationIds());
        assertEquals(OrderStatus.PAID, refunded.events().get(0).order().status());
        assertEquals(refunding.events().subList(0, 2), refunded.events().subList(0, 2), "earlier events unchanged");
        assertEquals(EventState.PENDING, succeeded.state());
        assertEquals(NOW.plusSeconds(2), succeeded.delivery().nextAttemptAt());
        assertEquals(paid.version() + 2, refunded.version(), "the events came with the transitions, no extra write");
    }

    @Test
    void duplicateOrReplayedNotificationRecordsNoSecondEvent() {
        Order paid = paid();
        assertTrue(paid.applyPayment(payment(paid, "SUCCESS"), "n-pay", NOW).isEmpty());
        assertTrue(paid.applyPayment(payment(paid, "SUCCESS"), "n-other", NOW).isEmpty());
        assertTrue(paid.applyPayment(payment(paid, "SUCCESS"), null, NOW).isEmpty());
        assertEquals(1, paid.events().size());
    }

    @Test
    void closeFailedPaymentAndPaymentOverALocalCloseEachRecordTheirEvent() {
        Order closed = unpaid().close(NOW).orElseThrow();
        assertEquals(List.of(OrderEventType.ORDER_CLOSED), types(closed));
        Order closedByWeChat =
                unpaid().applyPayment(payment(unpaid(), "CLOSED"), "n-c", NOW).orElseThrow();
        assertEquals(List.of(OrderEventType.ORDER_CLOSED), types(closedByWeChat));
        Order failed =
                unpaid().applyPayment(payment(unpaid(), "PAYERROR"), "n-e", NOW).orElseThrow();
        assertEquals(List.of(OrderEventType.ORDER_PAYMENT_FAILED), types(failed));

        Order paidAfterClose =
                closed.applyPayment(payment(closed, "SUCCESS"), "n-p", NOW).orElseThrow();
        assertEquals(List.of(OrderEventType.ORDER_CLOSED, OrderEventType.ORDER_PAID), types(paidAfterClose));
    }

    @Test
    void prepayAndTheQuerySlotRecordNoEvent() {
        Order withPrepay = unpaid().withPrepay("wx-prepay-1", NOW).orElseThrow();
        Order claimed = withPrepay.claimSync(NOW, Duration.ofSeconds(5)).orElseThrow();
        assertEquals(List.of(), claimed.events());
    }

    @Test
    void everyRefundEndingAndAResubmissionRecordTheirEvent() {
        Order paid = paid();
        Order two = paid.requestRefund("R01", 1000, null, "operator", NOW)
                .requestRefund("R02", 1000, null, "operator", NOW);
        Order abnormal = two.applyRefund(refundAt(two, "R01", RefundStatus.ABNORMAL, 1000), "n-1", NOW)
                .orElseThrow();
        Order handled = abnormal.applyRefund(refundAt(abnormal, "R01", RefundStatus.SUCCESS, 1000), "n-2", NOW)
                .orElseThrow();
        Order rejected = handled.rejectRefund("R02", "NOT_ENOUGH", NOW).orElseThrow();
        Order again = rejected.resubmitRejectedRefund("R02", NOW);
        Order closed = again.applyRefund(refundAt(again, "R02", RefundStatus.CLOSED, 1000), "n-3", NOW)
                .orElseThrow();
        Order withRefundId = paid.requestRefund("R09", 100, null, "operator", NOW);
        Order accepted = withRefundId
                .applyRefund(refundAt(withRefundId, "R09", RefundStatus.PROCESSING, 100), null, NOW)
                .orElseThrow();

        assertEquals(
                List.of(
                        OrderEventType.ORDER_PAID,
                        OrderEventType.REFUND_REQUESTED,
                        OrderEventType.REFUND_REQUESTED,
                        OrderEventType.REFUND_ABNORMAL,
                        OrderEventType.REFUND_SUCCEEDED,
                        OrderEventType.REFUND_REJECTED,
                        OrderEventType.REFUND_REQUESTED,
                        OrderEventType.REFUND_CLOSED),
                types(closed));
        assertEquals(
                java.util.Arrays.asList(null, "R01", "R02", "R01", "R01", "R02", "R02", "R02"),
                closed.events().stream().map(OrderEvent::outRefundNo).toList());
        assertEquals(types(withRefundId), types(accepted), "WeChat Pay's refund id alone is no event");
    }

    @Test
    void refundFirstSeenAtWeChatPayRecordsItsState() {
        Order paid = paid();
        Order seen = paid.applyRefund(refundAt(paid, "MP-1", RefundStatus.SUCCESS, 5600), "n-mp", NOW)
                .orElseThrow();
        assertEquals(List.of(OrderEventType.ORDER_PAID, OrderEventType.REFUND_SUCCEEDED), types(seen));
    }

    @Test
    void alertIsRecordedOncePerNotificationIdAndNeverForAQuery() {
        Order paid = paid();
        Order alerted =
                Outbox.alerted(paid, "n-bad", "amount 1 fen (stored 5600)", NOW).orElseThrow();
        assertEquals(List.of(OrderEventType.ORDER_PAID, OrderEventType.ORDER_ALERT), types(alerted));
        OrderEvent alert = alerted.events().get(1);
        assertEquals("n-bad", alert.notificationId());
        assertEquals("amount 1 fen (stored 5600)", alert.alert());
        assertEquals(paid.status(), alert.order().status());
        assertEquals(paid.updatedAt(), alerted.updatedAt(), "an alert changes nothing about the order");
        assertEquals(paid.version() + 1, alerted.version());
        assertTrue(Outbox.alerted(alerted, "n-bad", "again", NOW).isEmpty());
        assertTrue(Outbox.alerted(alerted, null, "a query's answer", NOW).isEmpty());
        assertEquals(
                3,
                Outbox.alerted(alerted, "n-other", "another", NOW)
                        .orElseThrow()
                        .events()
                        .size());
    }

    @Test
    void onlyTheHeadIsSentAndTheNextIsDueTheMomentTheHeadIsAcknowledged() {
        Order refunding = paid().requestRefund("R01", 5600, null, "owner", NOW);
        String first = refunding.events().get(0).id();
        String second = refunding.events().get(1).id();
        assertEquals(NOW, Outbox.dueAt(refunding));
        assertTrue(Outbox.claim(refunding, second, NOW, LEASE).isEmpty(), "the second waits for the first");

        Order claimed = Outbox.claim(refunding, first, NOW, LEASE).orElseThrow();
        assertEquals(NOW.plus(LEASE), Outbox.dueAt(claimed), "leased: nobody else sends it meanwhile");
        assertTrue(Outbox.claim(claimed, first, NOW.plusSeconds(1), LEASE).isEmpty());
        assertEquals(refunding.updatedAt(), claimed.updatedAt());

        Instant ackAt = NOW.plusSeconds(2);
        Order acknowledged = Outbox.acknowledged(claimed, first, ackAt).orElseThrow();
        assertEquals(EventState.DELIVERED, acknowledged.events().get(0).state());
        assertNull(acknowledged.events().get(0).order(), "a delivered event drops its copy of the order");
        assertEquals(second, Outbox.head(acknowledged).orElseThrow().id());
        assertEquals(ackAt, Outbox.dueAt(acknowledged));
        assertEquals(ackAt, acknowledged.events().get(1).delivery().windowOpenedAt());
        assertTrue(Outbox.acknowledged(acknowledged, first, ackAt).isEmpty(), "acknowledged once");
    }

    @Test
    void refusedAttemptsFollowTheScheduleForThreeDaysThenTheEventIsParkedAndHoldsTheOnesAfterIt() {
        Order order = paid().requestRefund("R01", 5600, null, "owner", NOW);
        String head = order.events().get(0).id();
        List<Duration> offsets = new ArrayList<>();
        Instant at = NOW;
        while (Outbox.dueAt(order) != null) {
            at = Outbox.dueAt(order);
            offsets.add(Duration.between(NOW, at));
            order = Outbox.claim(order, head, at, LEASE).orElseThrow();
            int attempt = order.events().get(0).delivery().attempts();
            order = Outbox.failed(order, head, attempt, "HTTP 500", at.plusSeconds(1), SCHEDULE)
                    .orElseThrow();
            at = at.plusSeconds(1);
        }
        assertEquals(19, offsets.size(), offsets.toString());
        assertEquals(Duration.ZERO, offsets.get(0));
        assertEquals(Duration.ofSeconds(16), offsets.get(1));
        assertTrue(
                offsets.get(18).compareTo(Duration.ofHours(66)) > 0
                        && offsets.get(18).compareTo(DeliverySchedule.STANDARD_WINDOW) <= 0,
                offsets.get(18).toString());
        for (int i = 9; i < offsets.size(); i++) {
            assertTrue(
                    offsets.get(i)
                                    .minus(offsets.get(i - 1))
                                    .compareTo(Duration.ofHours(6).plusSeconds(1))
                            <= 0,
                    "never more than 6 h between attempts: " + offsets);
        }
        OrderEvent parked = order.events().get(0);
        assertEquals(EventState.PARKED, parked.state());
        assertEquals("HTTP 500", parked.delivery().lastFailure());
        assertEquals(at, Outbox.parkedAt(order));
        assertNull(Outbox.dueAt(order), "the event after a parked one is held");
        assertEquals(EventState.PENDING, order.events().get(1).state());
    }

    @Test
    void receiverDownForADayGetsTheEventWithinSixHoursOfRecovering() {
        Order order = paid();
        String head = order.events().get(0).id();
        Instant recovered = NOW.plus(Duration.ofHours(24));
        Instant at = NOW;
        while (true) {
            at = Outbox.dueAt(order);
            order = Outbox.claim(order, head, at, LEASE).orElseThrow();
            if (!at.isBefore(recovered)) {
                order = Outbox.acknowledged(order, head, at).orElseThrow();
                break;
            }
            order = Outbox.failed(order, head, order.events().get(0).delivery().attempts(), "HTTP 503", at, SCHEDULE)
                    .orElseThrow();
        }
        assertEquals(EventState.DELIVERED, order.events().get(0).state());
        assertTrue(Duration.between(recovered, at).compareTo(Duration.ofHours(6)) <= 0, at.toString());
    }

    @Test
    void failureOfAnAttemptThatIsNoLongerTheLatestChangesNothing() {
        Order order = paid();
        String head = order.events().get(0).id();
        Order first = Outbox.claim(order, head, NOW, LEASE).orElseThrow();
        Order second = Outbox.claim(first, head, NOW.plus(LEASE), LEASE).orElseThrow();
        assertTrue(Outbox.failed(second, head, 1, "late answer of the first", NOW.plus(LEASE), SCHEDULE)
                .isEmpty());
        assertEquals(
                2,
                Outbox.failed(second, head, 2, "HTTP 500", NOW.plus(LEASE), SCHEDULE)
                        .orElseThrow()
                        .events()
                        .get(0)
                        .delivery()
                        .attempts());
    }

    @Test
    void eventRecordedWhileNobodyDeliveredIsParkedUnsentOnceItsWindowHasClosed() {
        Order order = paid();
        Instant late = NOW.plus(DeliverySchedule.STANDARD_WINDOW).plusSeconds(1);
        assertTrue(Outbox.parkedIfExpired(order, NOW.plus(DeliverySchedule.STANDARD_WINDOW), SCHEDULE)
                .isEmpty());
        Order parked = Outbox.parkedIfExpired(order, late, SCHEDULE).orElseThrow();
        assertEquals(EventState.PARKED, parked.events().get(0).state());
        assertEquals(0, parked.events().get(0).delivery().attempts());
        assertEquals(
                "not attempted within 72 h of being recorded",
                parked.events().get(0).delivery().lastFailure());
    }

    @Test
    void redeliveryReopensEveryUndeliveredEventWithAFreshWindowAndLeavesDeliveredOnesAlone() {
        Order order = paid().requestRefund("R01", 5600, null, "owner", NOW);
        order = Outbox.claim(order, order.events().get(0).id(), NOW, LEASE).orElseThrow();
        order = Outbox.acknowledged(order, order.events().get(0).id(), NOW).orElseThrow();
        order = order.applyRefund(refundAt(order, "R01", RefundStatus.SUCCESS, 5600), "n-r", NOW)
                .orElseThrow();
        String second = order.events().get(1).id();
        order = Outbox.claim(order, second, NOW, LEASE).orElseThrow();
        order = Outbox.failed(
                        order,
                        second,
                        1,
                        "HTTP 500",
                        NOW,
                        new DeliverySchedule(List.of(Duration.ofHours(1)), Duration.ZERO, LEASE))
                .orElseThrow();
        assertEquals(NOW, Outbox.parkedAt(order));

        Instant later = NOW.plus(Duration.ofDays(5));
        Order reopened = Outbox.reopened(order, later).orElseThrow();
        assertEquals(EventState.DELIVERED, reopened.events().get(0).state());
        for (OrderEvent event : reopened.events().subList(1, 3)) {
            assertEquals(EventState.PENDING, event.state());
            assertEquals(0, event.delivery().attempts());
            assertEquals(later, event.delivery().windowOpenedAt());
        }
        assertEquals(later, Outbox.dueAt(reopened));
        assertNull(Outbox.parkedAt(reopened));
        assertEquals("HTTP 500", reopened.events().get(1).delivery().lastFailure(), "kept for the record");
    }

    @Test
    void eventIdNamesItsOrder() {
        assertEquals(
                "WX0123456789abcdef",
                OrderEvent.outTradeNoOf("evt_WX0123456789abcdef_12").orElseThrow());
        assertEquals("a_b", OrderEvent.outTradeNoOf(OrderEvent.idOf("a_b", 3)).orElseThrow());
        assertTrue(OrderEvent.outTradeNoOf("evt_WX1_0").isEmpty());
        assertTrue(OrderEvent.outTradeNoOf("WX1_1").isEmpty());
        assertTrue(OrderEvent.outTradeNoOf(null).isEmpty());
    }
}
