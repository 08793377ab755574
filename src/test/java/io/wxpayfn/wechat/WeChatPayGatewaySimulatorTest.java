package io.wxpayfn.wechat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderItem;
import io.wxpayfn.order.PaymentRequest;
import io.wxpayfn.order.PaymentSnapshot;
import io.wxpayfn.order.Refund;
import io.wxpayfn.order.RefundSnapshot;
import io.wxpayfn.order.RefundStatus;
import io.wxpayfn.order.VerifiedNotification;
import io.wxpayfn.order.WeChatPayRejectedException;
import io.wxpayfn.order.WeChatPayUnavailableException;
import io.wxpayfn.simulator.ApiFailure;
import io.wxpayfn.simulator.Delivery;
import io.wxpayfn.simulator.MerchantCredentials;
import io.wxpayfn.simulator.NotificationFault;
import io.wxpayfn.simulator.PaymentResult;
import io.wxpayfn.simulator.SimCrypto;
import io.wxpayfn.simulator.SimTransaction;
import io.wxpayfn.simulator.SimulatorOptions;
import io.wxpayfn.simulator.TradeState;
import io.wxpayfn.simulator.WeChatPaySimulator;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** WeChatPayGateway, NotificationVerifier and BillDownloader against the local simulator over real HTTP. */
class WeChatPayGatewaySimulatorTest {

    private static final Duration DELIVERY_WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static WeChatPaySimulator sim;
    private static VerifyingReceiver payments;
    private static VerifyingReceiver refunds;
    private static WeChatPayGateway gateway;
    private static NotificationVerifier verifier;
    private static BillDownloader bills;

    @BeforeAll
    static void startSimulatorAndMerchant() {
        // time scale 0.01: WeChat's first retry after 15 s comes after 150 ms
        sim = WeChatPaySimulator.start(
                SimulatorOptions.defaults().withMchid("1900000301").withTimeScale(0.01));
        payments = new VerifyingReceiver((body, header) -> verifier.verifyPayment(body, header));
        refunds = new VerifyingReceiver((body, header) -> verifier.verifyRefund(body, header));
        WeChatPayClients clients = WeChatPayClients.create(settings(null));
        gateway = new WeChatPayGateway(clients);
        verifier = new NotificationVerifier(clients, Clock.systemUTC());
        bills = new BillDownloader(clients);
    }

    private static WeChatPaySettings settings(Duration readTimeout) {
        MerchantCredentials m = sim.merchant();
        return new WeChatPaySettings(
                m.mchid(),
                m.merchantSerialNumber(),
                m.merchantPrivateKeyPem(),
                m.apiV3Key(),
                m.platformPublicKeyPem(),
                m.platformPublicKeyId(),
                false,
                payments.url(),
                refunds.url(),
                sim.baseUrl(),
                null,
                null,
                readTimeout);
    }

    @AfterAll
    static void stop() {
        payments.close();
        refunds.close();
        sim.close();
    }

    @AfterEach
    void clearFaults() {
        sim.faults().clear();
    }

    private static Order order(long total) {
        String outTradeNo = "WXGW" + System.nanoTime() % 1_000_000_000L + SEQUENCE.incrementAndGet();
        Instant now = Instant.now();
        return Order.unpaid(
                outTradeNo,
                sim.merchant().appid(),
                sim.merchant().mchid(),
                sim.openidOf("alice"),
                "idem-" + outTradeNo,
                "Green tea x" + total,
                List.of(new OrderItem("tea", "Green tea", 1, (int) total)),
                now.plus(Duration.ofMinutes(30)),
                now);
    }

    private static Refund refundOf(Order order, long amount) {
        Instant now = Instant.now();
        return new Refund(
                order.nextOutRefundNo(),
                amount,
                RefundStatus.PROCESSING,
                null,
                "customer asked",
                "owner",
                null,
                now,
                now);
    }

    private static Order paidOrder(long total) {
        Order order = order(total);
        sim.pay(gateway.prepay(order).prepayId());
        return order;
    }

    @Test
    void prepayAnswersRequestPaymentParametersSignedWithTheMerchantKey() {
        Order order = order(1500);

        PaymentRequest request = gateway.prepay(order);

        SimTransaction atWeChat = sim.transaction(order.outTradeNo()).orElseThrow();
        assertEquals(atWeChat.prepayId(), request.prepayId());
        assertEquals("prepay_id=" + request.prepayId(), request.packageValue());
        assertEquals(order.appid(), request.appId());
        assertEquals("RSA", request.signType());
        String message = request.appId() + "\n" + request.timeStamp() + "\n" + request.nonceStr() + "\n"
                + request.packageValue() + "\n";
        assertTrue(SimCrypto.verify(sim.merchant().merchantPublicKey(), message, request.paySign()));
        assertEquals(1500, atWeChat.total());
        assertEquals(order.openid(), atWeChat.openid());
        assertEquals(payments.url(), atWeChat.notifyUrl());
        assertEquals(
                order.expiresAt().truncatedTo(ChronoUnit.SECONDS),
                atWeChat.timeExpire().toInstant());
        assertEquals("+08:00", atWeChat.timeExpire().getOffset().getId());
    }

    @Test
    void queryPaymentSeesTheOrderUnpaidThenPaidByTheUser() {
        Order order = order(1234);
        PaymentRequest request = gateway.prepay(order);

        PaymentSnapshot unpaid = gateway.queryPayment(order).orElseThrow();
        assertEquals("NOTPAY", unpaid.tradeState());
        assertEquals(1234L, unpaid.total());

        PaymentResult paid = sim.pay(request.prepayId());

        PaymentSnapshot snapshot = gateway.queryPayment(order).orElseThrow();
        assertEquals("SUCCESS", snapshot.tradeState());
        assertEquals(paid.transactionId(), snapshot.transactionId());
        assertEquals(1234L, snapshot.total());
        assertEquals(1234L, snapshot.payerTotal());
        assertEquals(order.openid(), snapshot.payerOpenid());
        assertEquals(order.mchid(), snapshot.mchid());
        assertEquals(paid.successTime().toInstant(), snapshot.successTime());
    }

    @Test
    void queryPaymentOfAnOrderWeChatPayNeverSawIsEmpty() {
        assertEquals(Optional.empty(), gateway.queryPayment(order(100)));
    }

    @Test
    void closeClosesAnUnpaidOrder() {
        Order order = order(100);
        gateway.prepay(order);

        gateway.close(order);

        assertEquals(
                TradeState.CLOSED,
                sim.transaction(order.outTradeNo()).orElseThrow().state());
        assertEquals("CLOSED", gateway.queryPayment(order).orElseThrow().tradeState());
    }

    @Test
    void closingAPaidOrderIsRejectedWithWeChatsCode() {
        Order order = paidOrder(100);

        WeChatPayRejectedException e = assertThrows(WeChatPayRejectedException.class, () -> gateway.close(order));

        assertEquals("ORDERPAID", e.wechatCode());
    }

    @Test
    void refundIsAppliedForAndItsQueryFollowsItToSuccess() {
        Order order = paidOrder(1000);
        Refund refund = refundOf(order, 300);
        sim.faults().holdRefunds(refund.outRefundNo());

        RefundSnapshot applied = gateway.refund(order, refund);

        assertEquals(RefundStatus.PROCESSING, applied.status());
        assertEquals(order.outTradeNo(), applied.outTradeNo());
        assertEquals(refund.outRefundNo(), applied.outRefundNo());
        assertEquals(300, applied.refund());
        assertEquals(1000, applied.total());
        assertEquals(order.mchid(), applied.mchid());
        assertNotNull(applied.refundId());
        assertEquals(
                refunds.url(), sim.refund(refund.outRefundNo()).orElseThrow().notifyUrl());

        sim.completeRefund(refund.outRefundNo(), io.wxpayfn.simulator.RefundStatus.SUCCESS);

        RefundSnapshot done = gateway.queryRefund(order, refund.outRefundNo()).orElseThrow();
        assertEquals(RefundStatus.SUCCESS, done.status());
        assertEquals(applied.refundId(), done.refundId());
        assertNotNull(done.successTime());
    }

    @Test
    void aRefundEndingAbnormalIsReportedAbnormal() {
        Order order = paidOrder(1000);
        Refund refund = refundOf(order, 1000);
        sim.faults().holdRefunds(refund.outRefundNo());
        gateway.refund(order, refund);

        sim.completeRefund(refund.outRefundNo(), io.wxpayfn.simulator.RefundStatus.ABNORMAL);

        assertEquals(
                RefundStatus.ABNORMAL,
                gateway.queryRefund(order, refund.outRefundNo()).orElseThrow().status());
    }

    @Test
    void queryRefundOfARefundWeChatPayNeverSawIsEmpty() {
        assertEquals(Optional.empty(), gateway.queryRefund(order(100), "NEVERREFUNDED0001"));
    }

    @Test
    void aRefundAboveTheOrderTotalIsRejectedWithWeChatsCode() {
        Order order = paidOrder(500);

        WeChatPayRejectedException e =
                assertThrows(WeChatPayRejectedException.class, () -> gateway.refund(order, refundOf(order, 501)));

        assertEquals("PARAM_ERROR", e.wechatCode());
    }

    @Test
    void aSystemErrorIsUnavailable() {
        Order order = order(100);
        gateway.prepay(order);
        sim.faults().failNextCalls("/v3/pay/transactions", 1, ApiFailure.systemError());

        WeChatPayUnavailableException e =
                assertThrows(WeChatPayUnavailableException.class, () -> gateway.queryPayment(order));

        assertTrue(e.getMessage().contains("500 SYSTEM_ERROR"), e.getMessage());
        assertEquals("NOTPAY", gateway.queryPayment(order).orElseThrow().tradeState());
    }

    @Test
    void serviceUnavailableAndThrottlingAreUnavailable() {
        sim.faults().failNextCalls("/v3/refund", 1, ApiFailure.serviceUnavailable());
        assertThrows(WeChatPayUnavailableException.class, () -> gateway.queryRefund(order(100), "ANYREFUND0001"));

        sim.faults().failNextCalls("/v3/pay/transactions", 1, ApiFailure.frequencyLimited());
        assertThrows(WeChatPayUnavailableException.class, () -> gateway.prepay(order(100)));
    }

    @Test
    void anAnswerSlowerThanTheReadTimeoutIsUnavailable() {
        WeChatPayGateway impatient = new WeChatPayGateway(WeChatPayClients.create(settings(Duration.ofMillis(300))));
        Order order = order(100);
        sim.faults().failNextCalls("/v3/pay/transactions", 1, ApiFailure.hang(Duration.ofSeconds(2)));

        WeChatPayUnavailableException e =
                assertThrows(WeChatPayUnavailableException.class, () -> impatient.prepay(order));

        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void aPrepayWhoseAnswerWasLostIsRetriedToTheSamePrepayId() {
        Order order = order(700);
        sim.faults().failNextCallsAfterProcessing("/v3/pay/transactions", 1, ApiFailure.systemError());

        assertThrows(WeChatPayUnavailableException.class, () -> gateway.prepay(order));
        PaymentRequest retried = gateway.prepay(order);

        assertEquals(sim.transaction(order.outTradeNo()).orElseThrow().prepayId(), retried.prepayId());
    }

    @Test
    void aPaymentNotificationTheSimulatorDeliveredIsVerifiedAndDecrypted() {
        Order order = order(880);
        PaymentResult paid = sim.pay(gateway.prepay(order).prepayId());

        sim.awaitAcknowledged(order.outTradeNo(), "TRANSACTION.SUCCESS", DELIVERY_WAIT);

        PaymentSnapshot payment = payments.accepted().stream()
                .map(n -> (PaymentSnapshot) n.payload())
                .filter(p -> p.outTradeNo().equals(order.outTradeNo()))
                .findFirst()
                .orElseThrow();
        assertEquals("SUCCESS", payment.tradeState());
        assertEquals(paid.transactionId(), payment.transactionId());
        assertEquals(880L, payment.total());
        assertEquals(order.openid(), payment.payerOpenid());
        assertEquals(order.mchid(), payment.mchid());
    }

    static Stream<Arguments> corruptedDeliveries() {
        return Stream.of(
                Arguments.of(NotificationFault.signTestProbe(), Delivery.Kind.SIGNTEST_PROBE, "probe"),
                Arguments.of(NotificationFault.badSignature(), Delivery.Kind.BAD_SIGNATURE, "signature verification"),
                Arguments.of(NotificationFault.tamperedBody(), Delivery.Kind.TAMPERED_BODY, "signature verification"),
                Arguments.of(NotificationFault.oldTimestamp(), Delivery.Kind.OLD_TIMESTAMP, "window"));
    }

    @ParameterizedTest
    @MethodSource("corruptedDeliveries")
    void aCorruptedDeliveryIsRejectedAndOnlyTheGenuineRetryIsAccepted(
            NotificationFault fault, Delivery.Kind kind, String reason) {
        Order order = order(90);
        sim.faults().onNextNotification(order.outTradeNo(), fault);

        sim.pay(gateway.prepay(order).prepayId());
        sim.awaitAcknowledged(order.outTradeNo(), "TRANSACTION.SUCCESS", DELIVERY_WAIT);

        List<Delivery> corrupted = sim.deliveries().stream()
                .filter(d -> d.concerns(order.outTradeNo()) && d.kind() == kind)
                .toList();
        assertEquals(1, corrupted.size(), sim.deliveries().toString());
        assertEquals(500, corrupted.get(0).status(), "the receiver refused the corrupted delivery");
        assertTrue(
                payments.rejections().stream().anyMatch(m -> m.contains(reason)),
                payments.rejections().toString());
        assertEquals(
                1,
                payments.accepted().stream()
                        .filter(n ->
                                ((PaymentSnapshot) n.payload()).outTradeNo().equals(order.outTradeNo()))
                        .count());
    }

    @Test
    void aRefundNotificationTheSimulatorDeliveredIsVerified() {
        Order order = paidOrder(600);
        Refund refund = refundOf(order, 200);
        sim.faults().holdRefunds(refund.outRefundNo());
        gateway.refund(order, refund);
        sim.completeRefund(refund.outRefundNo(), io.wxpayfn.simulator.RefundStatus.SUCCESS);

        sim.awaitAcknowledged(refund.outRefundNo(), "REFUND.SUCCESS", DELIVERY_WAIT);

        VerifiedNotification<?> n = refunds.accepted().stream()
                .filter(v -> ((RefundSnapshot) v.payload()).outRefundNo().equals(refund.outRefundNo()))
                .findFirst()
                .orElseThrow();
        RefundSnapshot r = (RefundSnapshot) n.payload();
        assertEquals("REFUND.SUCCESS", n.eventType());
        assertEquals(RefundStatus.SUCCESS, r.status());
        assertEquals(order.mchid(), r.mchid());
        assertEquals(order.outTradeNo(), r.outTradeNo());
        assertEquals(200, r.refund());
        assertEquals(600, r.total());
    }

    @Test
    void theTradeBillOfTheDayListsAPaidOrderWhetherCompressedOrNot() {
        Order order = paidOrder(321);
        var day =
                sim.transaction(order.outTradeNo()).orElseThrow().successTime().toLocalDate();

        String plain = bills.tradeBill(day, null, false);
        String gzipped = bills.tradeBill(day, null, true);

        assertTrue(plain.contains(order.outTradeNo()), plain);
        assertTrue(plain.startsWith("交易时间,"), plain);
        assertTrue(gzipped.contains(order.outTradeNo()), gzipped);
    }
}
