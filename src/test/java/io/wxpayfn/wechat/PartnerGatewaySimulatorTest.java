package io.wxpayfn.wechat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderItem;
import io.wxpayfn.order.PaymentRequest;
import io.wxpayfn.order.PaymentSnapshot;
import io.wxpayfn.order.Refund;
import io.wxpayfn.order.RefundSnapshot;
import io.wxpayfn.order.RefundStatus;
import io.wxpayfn.order.SubMerchant;
import io.wxpayfn.order.WeChatPayRejectedException;
import io.wxpayfn.simulator.MerchantCredentials;
import io.wxpayfn.simulator.PaymentResult;
import io.wxpayfn.simulator.SimCrypto;
import io.wxpayfn.simulator.SimSubMerchant;
import io.wxpayfn.simulator.SimTransaction;
import io.wxpayfn.simulator.SimulatorOptions;
import io.wxpayfn.simulator.TradeState;
import io.wxpayfn.simulator.WeChatPaySimulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway as a service provider for two sub-merchants, through the SDK's partner services, over real HTTP. */
class PartnerGatewaySimulatorTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final SubMerchant WITH_APP = sub(SimulatorOptions.SUB_MERCHANT_WITH_APP);
    private static final SubMerchant OF_PROVIDER_APP = sub(SimulatorOptions.SUB_MERCHANT_OF_PROVIDER_APP);

    private static WeChatPaySimulator sim;
    private static VerifyingReceiver payments;
    private static VerifyingReceiver refunds;
    private static WeChatPayGateway gateway;
    private static NotificationVerifier verifier;
    private static BillDownloader bills;

    @BeforeAll
    static void start() {
        sim = WeChatPaySimulator.start(
                SimulatorOptions.defaults().withMchid("1900000311").withTimeScale(0.01));
        payments = new VerifyingReceiver((body, header) -> verifier.verifyPayment(body, header));
        refunds = new VerifyingReceiver((body, header) -> verifier.verifyRefund(body, header));
        MerchantCredentials m = sim.merchant();
        WeChatPayClients clients = WeChatPayClients.create(TestSettings.oneKeyMode(
                m.mchid(),
                m.merchantSerialNumber(),
                m.merchantPrivateKeyPem(),
                m.apiV3Key(),
                m.platformPublicKeyPem(),
                m.platformPublicKeyId(),
                payments.url(),
                refunds.url(),
                sim.baseUrl()));
        gateway = new WeChatPayGateway(clients);
        verifier = new NotificationVerifier(clients, Clock.systemUTC());
        bills = new BillDownloader(clients);
    }

    @AfterAll
    static void stop() {
        payments.close();
        refunds.close();
        sim.close();
    }

    private static SubMerchant sub(SimSubMerchant s) {
        return new SubMerchant(s.subMchid(), s.subAppid());
    }

    /** An order of one sub-merchant, its payer "alice" in the mini-program that sub-merchant's orders are paid in. */
    private static Order order(SubMerchant shop, long total) {
        String outTradeNo = "WXSP" + System.nanoTime() % 1_000_000_000L + SEQUENCE.incrementAndGet();
        Instant now = Instant.now();
        return Order.unpaid(
                outTradeNo,
                sim.merchant().appid(),
                sim.merchant().mchid(),
                shop,
                sim.openidOf("alice", shop.payerAppid(sim.merchant().appid())),
                "idem-" + outTradeNo,
                "Tea",
                List.of(new OrderItem("tea", "Tea", total, 1)),
                now.plus(Duration.ofMinutes(30)),
                now);
    }

    private static PaymentSnapshot notifiedPayment(Order order) {
        sim.awaitAcknowledged(order.outTradeNo(), "TRANSACTION.SUCCESS", WAIT);
        return payments.accepted().stream()
                .map(n -> (PaymentSnapshot) n.payload())
                .filter(p -> p.outTradeNo().equals(order.outTradeNo()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aSubMerchantsOwnMiniProgramIsPaidWithSubOpenidAndRequestPaymentIsSignedForItsAppid() {
        Order order = order(WITH_APP, 1200);

        PaymentRequest request = gateway.prepay(order);

        SimTransaction atWeChat = sim.transaction(order.outTradeNo()).orElseThrow();
        assertEquals(WITH_APP.subMchid(), atWeChat.subMchid());
        assertEquals(WITH_APP.subAppid(), atWeChat.subAppid());
        assertEquals(order.openid(), atWeChat.subOpenid());
        assertEquals(WITH_APP.subAppid(), request.appId());
        String message = request.appId() + "\n" + request.timeStamp() + "\n" + request.nonceStr() + "\n"
                + request.packageValue() + "\n";
        assertTrue(SimCrypto.verify(sim.merchant().merchantPublicKey(), message, request.paySign()));

        PaymentResult paid = sim.pay(request.prepayId());
        PaymentSnapshot notified = notifiedPayment(order);
        assertEquals(WITH_APP, notified.subMerchant());
        assertEquals(order.openid(), notified.payerOpenid(), "the sub_openid");
        assertEquals(sim.merchant().mchid(), notified.mchid(), "sp_mchid");
        assertEquals(sim.merchant().appid(), notified.appid(), "sp_appid");
        assertEquals(paid.transactionId(), notified.transactionId());
    }

    @Test
    void theProvidersMiniProgramPaysWithSpOpenidAndQueriesFindTheOrderByNumberAndTransaction() {
        Order order = order(OF_PROVIDER_APP, 800);
        PaymentRequest request = gateway.prepay(order);
        assertEquals(sim.merchant().appid(), request.appId());
        assertNull(sim.transaction(order.outTradeNo()).orElseThrow().subAppid());

        PaymentResult paid = sim.pay(request.prepayId());

        PaymentSnapshot byNumber = gateway.queryPayment(order).orElseThrow();
        assertEquals("SUCCESS", byNumber.tradeState());
        assertEquals(OF_PROVIDER_APP, byNumber.subMerchant());
        assertEquals(order.openid(), byNumber.payerOpenid(), "the sp_openid");
        PaymentSnapshot byTransaction =
                gateway.queryPaymentByTransactionId(order, paid.transactionId()).orElseThrow();
        assertEquals(order.outTradeNo(), byTransaction.outTradeNo());
        assertEquals(byNumber, byTransaction);
        assertEquals(
                order.applyPayment(notifiedPayment(order), "n", Instant.now())
                        .orElseThrow()
                        .transactionId(),
                paid.transactionId());
    }

    @Test
    void theSameOrderNumberUnderAnotherSubMerchantIsNotFound() {
        Order order = order(WITH_APP, 500);
        gateway.prepay(order);
        Order asIfOfTheOther = Order.unpaid(
                order.outTradeNo(),
                order.appid(),
                order.mchid(),
                OF_PROVIDER_APP,
                order.openid(),
                "k",
                "Tea",
                order.items(),
                order.expiresAt(),
                order.createdAt());

        assertTrue(gateway.queryPayment(asIfOfTheOther).isEmpty());
        assertEquals("NOTPAY", gateway.queryPayment(order).orElseThrow().tradeState());
    }

    @Test
    void aSubMerchantNotBoundToTheProviderIsRejectedWithWeChatsCodeAndNothingIsCreated() {
        Order order = order(new SubMerchant("1900000999", null), 100);

        WeChatPayRejectedException e = assertThrows(WeChatPayRejectedException.class, () -> gateway.prepay(order));

        assertEquals("NO_AUTH", e.wechatCode());
        assertTrue(sim.transaction(order.outTradeNo()).isEmpty());
    }

    @Test
    void closeAndRefundsCarryTheSubMerchantAndTheRefundNotificationNamesIt() {
        Order unpaid = order(OF_PROVIDER_APP, 100);
        gateway.prepay(unpaid);
        gateway.close(unpaid);
        assertEquals(
                TradeState.CLOSED,
                sim.transaction(unpaid.outTradeNo()).orElseThrow().state());

        Order order = order(WITH_APP, 600);
        sim.pay(gateway.prepay(order).prepayId());
        Instant now = Instant.now();
        Refund refund = new Refund(
                order.nextOutRefundNo(), 250, RefundStatus.PROCESSING, null, "r", "operator", null, now, now);
        RefundSnapshot applied = gateway.refund(order, refund);
        assertEquals(WITH_APP.subMchid(), applied.subMchid());
        sim.awaitAcknowledged(refund.outRefundNo(), "REFUND.SUCCESS", WAIT);
        assertEquals(
                RefundStatus.SUCCESS,
                gateway.queryRefund(order, refund.outRefundNo()).orElseThrow().status());
        RefundSnapshot notified = refunds.accepted().stream()
                .map(n -> (RefundSnapshot) n.payload())
                .filter(r -> r.outRefundNo().equals(refund.outRefundNo()))
                .findFirst()
                .orElseThrow();
        assertEquals(WITH_APP.subMchid(), notified.subMchid());
        assertEquals(sim.merchant().mchid(), notified.mchid(), "sp_mchid");
    }

    @Test
    void eachSubMerchantsTradeBillListsOnlyItsOwnOrders() {
        Order ofA = order(WITH_APP, 321);
        Order ofB = order(OF_PROVIDER_APP, 654);
        sim.pay(gateway.prepay(ofA).prepayId());
        sim.pay(gateway.prepay(ofB).prepayId());
        var day = sim.transaction(ofA.outTradeNo()).orElseThrow().successTime().toLocalDate();

        String billOfA = bills.tradeBill(day, WITH_APP.subMchid(), true);

        assertTrue(billOfA.contains(ofA.outTradeNo()), billOfA);
        assertFalse(billOfA.contains(ofB.outTradeNo()), billOfA);
        assertTrue(bills.tradeBill(day, OF_PROVIDER_APP.subMchid(), false).contains(ofB.outTradeNo()));
    }
}
