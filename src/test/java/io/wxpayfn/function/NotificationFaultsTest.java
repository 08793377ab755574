package io.wxpayfn.function;

import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.simulator.Delivery;
import io.wxpayfn.simulator.NotificationFault;
import io.wxpayfn.simulator.SimulatorOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What arrives at payment-callback twice, forged, stale or wrong changes the order once or not at all. */
@QuarkusTest
class NotificationFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    OrderStore store;

    @Inject
    FunctionClock clock;

    @Test
    void oneNotificationDeliveredFifteenTimesThenSixteenAtOnceMakesExactlyOneTransition() {
        String[] order = placeLatte(login("erin"));
        long versionBefore = store.find(order[0]).orElseThrow().version();
        Shop.payAndAwaitCallback(order);
        Order paid = store.find(order[0]).orElseThrow();

        for (int i = 0; i < 14; i++) {
            simulator().redeliver(order[0], 1, false);
        }
        simulator().redeliver(order[0], 16, true);
        List<Delivery> all = simulator().awaitDeliveries(d -> d.concerns(order[0]) && d.acknowledged(), 31, WAIT);

        assertEquals(31, all.size(), "every copy was answered 2xx");
        assertTrue(
                all.stream().allMatch(d -> d.notificationId().equals(all.get(0).notificationId())));
        Order after = store.find(order[0]).orElseThrow();
        assertEquals(OrderStatus.PAID, after.status());
        assertEquals(versionBefore + 1, after.version(), "exactly one transition");
        assertEquals(paid, after);
        assertEquals(List.of(all.get(0).notificationId()), after.appliedNotificationIds());
    }

    @Test
    void forgedSignatureIsRefusedAndChangesNothing() {
        assertRefusedAndUnchanged(NotificationFault.badSignature(), Delivery.Kind.BAD_SIGNATURE);
    }

    @Test
    void tamperedBodyIsRefusedAndChangesNothing() {
        assertRefusedAndUnchanged(NotificationFault.tamperedBody(), Delivery.Kind.TAMPERED_BODY);
    }

    @Test
    void timestampSixMinutesOldIsRefusedAndChangesNothing() {
        assertRefusedAndUnchanged(NotificationFault.oldTimestamp(), Delivery.Kind.OLD_TIMESTAMP);
    }

    @Test
    void signTestProbeIsRefusedAndChangesNothing() {
        assertRefusedAndUnchanged(NotificationFault.signTestProbe(), Delivery.Kind.SIGNTEST_PROBE);
    }

    @Test
    void amountMismatchIsRefusedAndChangesNothing() {
        assertRefusedAndUnchanged(NotificationFault.amountMismatch(), Delivery.Kind.AMOUNT_MISMATCH);
    }

    static Stream<NotificationFault> incompleteOrOddPayments() {
        // A partner payment in the sub-merchant's mini-program names its payer by sub_openid.
        String payer = SimulatorResource.partner() ? "payer.sub_openid" : "payer.openid";
        Stream<NotificationFault> faults = Stream.of(
                NotificationFault.withoutField("amount"),
                NotificationFault.withoutField("amount.total"),
                NotificationFault.withoutField("amount.payer_total"),
                NotificationFault.withoutField("amount.currency"),
                NotificationFault.withField("amount.currency", "\"USD\""),
                NotificationFault.withoutField("payer"),
                NotificationFault.withoutField(payer),
                NotificationFault.withoutField("transaction_id"),
                NotificationFault.withoutField("success_time"),
                NotificationFault.withField("trade_state", "\"CLOSED\""),
                NotificationFault.withField("trade_state", "\"NOTPAY\""));
        return SimulatorResource.partner() ? Stream.concat(faults, otherPartiesOfAPartnerPayment()) : faults;
    }

    /**
     * Partner mode, two sub-merchants: a correctly signed payment naming the other sub-merchant, another provider,
     * mini-program or payer, or no sub-merchant at all, never settles the order.
     */
    private static Stream<NotificationFault> otherPartiesOfAPartnerPayment() {
        String otherSubMerchant = "\"" + SimulatorOptions.SUB_MERCHANT_OF_PROVIDER_APP.subMchid() + "\"";
        return Stream.of(
                NotificationFault.withField("sub_mchid", otherSubMerchant),
                NotificationFault.withoutField("sub_mchid"),
                NotificationFault.withoutField("sub_appid"),
                NotificationFault.withField("sub_appid", "\"wx0000000000000000\""),
                NotificationFault.withField("sp_mchid", "\"1900000999\""),
                NotificationFault.withField("sp_appid", "\"wx0000000000000000\""),
                NotificationFault.withField("payer.sub_openid", "\"oMalloryIsNotThePayerOfThis00\""));
    }

    @ParameterizedTest
    @MethodSource("incompleteOrOddPayments")
    void signedPaymentWithoutARequiredFieldOrWithAnOddOneIsRefusedAndChangesNothing(NotificationFault fault) {
        assertRefusedAndUnchanged(fault, Delivery.Kind.ALTERED_RESOURCE);
    }

    @Test
    void successTimeInTheFutureIsClampedToTheMomentThePaymentIsApplied() {
        String[] order = placeLatte(login("fay-" + Shop.newKey()));
        simulator()
                .faults()
                .onNextNotification(
                        order[0], NotificationFault.withField("success_time", "\"2099-01-01T08:00:00+08:00\""));
        simulator().pay(order[1]);
        simulator().awaitAcknowledged(order[0], "TRANSACTION.SUCCESS", WAIT);

        Order paid = store.find(order[0]).orElseThrow();
        assertEquals(OrderStatus.PAID, paid.status());
        assertFalse(
                paid.paidAt().isAfter(clock.instant()), "paidAt " + paid.paidAt() + " would stretch the refund window");
    }

    static Stream<NotificationFault> refundsOfAnotherOrUnnamedTransaction() {
        Stream<NotificationFault> faults = Stream.of(
                NotificationFault.withField("transaction_id", "\"4200000000202601010000000000\""),
                NotificationFault.withoutField("transaction_id"));
        // Partner mode: a refund naming the other sub-merchant, or none, is not this order's either.
        return SimulatorResource.partner()
                ? Stream.concat(
                        faults,
                        Stream.of(
                                NotificationFault.withField(
                                        "sub_mchid",
                                        "\"" + SimulatorOptions.SUB_MERCHANT_OF_PROVIDER_APP.subMchid() + "\""),
                                NotificationFault.withoutField("sub_mchid")))
                : faults;
    }

    @ParameterizedTest
    @MethodSource("refundsOfAnotherOrUnnamedTransaction")
    void refundNotificationNamingAnotherTransactionOrNoneIsRefusedAndChangesNothing(NotificationFault fault) {
        String[] order = placeLatte(login("finn-" + Shop.newKey()));
        Shop.payAndAwaitCallback(order);
        String outRefundNo = order[0] + "R01";
        simulator().faults().holdRefunds(outRefundNo);
        Shop.assertOk(Shop.operatorCall("refund", java.util.Map.of("outTradeNo", order[0])));
        Order before = store.find(order[0]).orElseThrow();
        simulator().faults().onNextNotification(outRefundNo, fault).holdRetries(outRefundNo);
        simulator().completeRefund(outRefundNo, io.wxpayfn.simulator.RefundStatus.SUCCESS);

        Delivery refused = simulator()
                .awaitDeliveries(d -> d.concerns(outRefundNo) && d.kind() == Delivery.Kind.ALTERED_RESOURCE, 1, WAIT)
                .get(0);
        assertEquals(500, refused.status());
        simulator().awaitNoDeliveriesInFlight(outRefundNo, WAIT);
        // Another transaction contradicts the order (an ALERT); a missing one is only incomplete.
        Shop.assertUnchanged(before, store.find(order[0]).orElseThrow(), fault.jsonValue() != null);

        simulator().releaseHeldNotifications(outRefundNo);
        simulator().awaitAcknowledged(outRefundNo, "REFUND.SUCCESS", WAIT);
        assertEquals(OrderStatus.REFUNDED, store.find(order[0]).orElseThrow().status());
    }

    /**
     * The faulty copy comes first; WeChat Pay's genuine retry is held back until the store has been checked, so
     * "changes nothing" is always checked, and then the retry must be what moves the order: refused once, applied
     * once.
     */
    private void assertRefusedAndUnchanged(NotificationFault fault, Delivery.Kind kind) {
        String[] order = placeLatte(login("frank-" + kind + "-" + Shop.newKey()));
        Order before = store.find(order[0]).orElseThrow();
        simulator().faults().onNextNotification(order[0], fault).holdRetries(order[0]);
        simulator().pay(order[1]);

        Delivery refused = simulator()
                .awaitDeliveries(d -> d.concerns(order[0]) && d.kind() == kind, 1, WAIT)
                .get(0);
        assertEquals(500, refused.status(), kind + " must be answered non-2xx");
        simulator().awaitNoDeliveriesInFlight(order[0], WAIT);
        assertTrue(
                simulator().deliveries().stream().noneMatch(d -> d.concerns(order[0]) && d.acknowledged()),
                "the genuine retry is still held back");
        // A wrong amount contradicts the order; an altered field may (another party) or only leave it incomplete.
        Boolean contradicts = kind == Delivery.Kind.AMOUNT_MISMATCH
                ? Boolean.TRUE
                : kind == Delivery.Kind.ALTERED_RESOURCE ? null : Boolean.FALSE;
        boolean alerted = Shop.assertUnchanged(before, store.find(order[0]).orElseThrow(), contradicts);

        simulator().releaseHeldNotifications(order[0]);
        simulator().awaitAcknowledged(order[0], "TRANSACTION.SUCCESS", WAIT);
        Order after = store.find(order[0]).orElseThrow();
        assertEquals(OrderStatus.PAID, after.status(), "the genuine retry is applied");
        assertEquals(before.version() + 1 + (alerted ? 1 : 0), after.version());
    }
}
