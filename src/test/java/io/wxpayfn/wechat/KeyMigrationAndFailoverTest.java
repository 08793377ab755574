package io.wxpayfn.wechat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderItem;
import io.wxpayfn.order.PaymentRequest;
import io.wxpayfn.order.PaymentSnapshot;
import io.wxpayfn.order.Refund;
import io.wxpayfn.order.RefundStatus;
import io.wxpayfn.order.SubMerchant;
import io.wxpayfn.order.WeChatPayUnavailableException;
import io.wxpayfn.simulator.ApiFailure;
import io.wxpayfn.simulator.Delivery;
import io.wxpayfn.simulator.Endpoint;
import io.wxpayfn.simulator.MerchantCredentials;
import io.wxpayfn.simulator.NotificationFault;
import io.wxpayfn.simulator.SigningKey;
import io.wxpayfn.simulator.SimulatorOptions;
import io.wxpayfn.simulator.WeChatPaySimulator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A merchant switching from platform certificates to the WeChat Pay public key trusts both, through the SDK's
 * combined verifier; a merchant with failover on reaches WeChat Pay's backup domain through the SDK's interceptor
 * when the primary one fails, and a retried prepay or refund is the same one.
 */
class KeyMigrationAndFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofMillis(600);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static WeChatPaySimulator sim;
    private static VerifyingReceiver payments;
    private static WeChatPayGateway migrating;
    private static WeChatPayGateway publicKeyOnly;
    private static WeChatPayGateway failingOver;
    private static NotificationVerifier verifier;

    @BeforeAll
    static void start() {
        sim = WeChatPaySimulator.start(
                SimulatorOptions.defaults().withMchid("1900000321").withTimeScale(0.01));
        payments = new VerifyingReceiver((body, header) -> verifier.verifyPayment(body, header));
        WeChatPayClients both = WeChatPayClients.create(settings(true, null, null));
        migrating = new WeChatPayGateway(both);
        verifier = new NotificationVerifier(both, Clock.systemUTC());
        publicKeyOnly = new WeChatPayGateway(WeChatPayClients.create(settings(false, null, null)));
        // A short read timeout, so a primary that does not answer fails over quickly.
        failingOver = new WeChatPayGateway(WeChatPayClients.create(settings(false, sim.backupBaseUrl(), READ_TIMEOUT)));
    }

    private static WeChatPaySettings settings(boolean bothKeys, String backupBaseUrl, Duration readTimeout) {
        MerchantCredentials m = sim.merchant();
        return new WeChatPaySettings(
                m.mchid(),
                m.merchantSerialNumber(),
                m.merchantPrivateKeyPem(),
                m.apiV3Key(),
                m.platformPublicKeyPem(),
                m.platformPublicKeyId(),
                bothKeys,
                payments.url(),
                payments.url(),
                sim.baseUrl(),
                backupBaseUrl,
                null,
                readTimeout);
    }

    @AfterEach
    void restore() {
        sim.faults().clear();
        sim.signWith(SigningKey.AS_REQUESTED);
        sim.restartEndpoint(Endpoint.PRIMARY);
    }

    @AfterAll
    static void stop() {
        payments.close();
        sim.close();
    }

    private static Order order(SubMerchant shop) {
        String outTradeNo = "WXMF" + System.nanoTime() % 1_000_000_000L + SEQUENCE.incrementAndGet();
        Instant now = Instant.now();
        String payerAppid = shop == null
                ? sim.merchant().appid()
                : shop.payerAppid(sim.merchant().appid());
        return Order.unpaid(
                outTradeNo,
                sim.merchant().appid(),
                sim.merchant().mchid(),
                shop,
                sim.openidOf("alice", payerAppid),
                "idem-" + outTradeNo,
                "Tea",
                List.of(new OrderItem("tea", "Tea", 900, 1)),
                now.plus(Duration.ofMinutes(30)),
                now);
    }

    @Test
    void answersSignedWithTheCertificateOrThePublicKeyAreBothVerifiedWhileSwitching() {
        Order order = order(null);
        sim.signWith(SigningKey.PLATFORM_CERTIFICATE);
        PaymentRequest prepaid = migrating.prepay(order);
        assertThrows(
                WeChatPayUnavailableException.class,
                () -> publicKeyOnly.queryPayment(order),
                "a certificate-signed answer is not trusted with the public key alone");
        sim.signWith(SigningKey.PUBLIC_KEY);
        assertEquals("NOTPAY", migrating.queryPayment(order).orElseThrow().tradeState());
        sim.signWith(SigningKey.PLATFORM_CERTIFICATE);
        assertEquals("NOTPAY", migrating.queryPayment(order).orElseThrow().tradeState());
        assertEquals(sim.transaction(order.outTradeNo()).orElseThrow().prepayId(), prepaid.prepayId());
    }

    @Test
    void notificationsSignedEitherWayAreAcceptedAndOneUnderAnUnknownSerialIsRefused() {
        Order byCertificate = order(null);
        sim.signWith(SigningKey.PLATFORM_CERTIFICATE);
        sim.pay(migrating.prepay(byCertificate).prepayId());
        sim.awaitAcknowledged(byCertificate.outTradeNo(), "TRANSACTION.SUCCESS", WAIT);

        Order byPublicKey = order(null);
        sim.signWith(SigningKey.PUBLIC_KEY);
        sim.faults().onNextNotification(byPublicKey.outTradeNo(), NotificationFault.unknownSerial());
        sim.pay(migrating.prepay(byPublicKey).prepayId());
        sim.awaitAcknowledged(byPublicKey.outTradeNo(), "TRANSACTION.SUCCESS", WAIT);

        Delivery refused = sim.deliveries().stream()
                .filter(d -> d.concerns(byPublicKey.outTradeNo()) && d.kind() == Delivery.Kind.UNKNOWN_SERIAL)
                .findFirst()
                .orElseThrow();
        assertEquals(500, refused.status());
        List<String> accepted = payments.accepted().stream()
                .map(n -> ((PaymentSnapshot) n.payload()).outTradeNo())
                .toList();
        assertTrue(accepted.contains(byCertificate.outTradeNo()), accepted.toString());
        assertEquals(
                1, accepted.stream().filter(byPublicKey.outTradeNo()::equals).count(), "only the genuine retry");
    }

    @Test
    void withThePrimaryDomainDownCallsGoToTheBackupOne() {
        sim.stopEndpoint(Endpoint.PRIMARY);
        Order order = order(new SubMerchant(SimulatorOptions.SUB_MERCHANT_OF_PROVIDER_APP.subMchid(), null));

        PaymentRequest prepaid = failingOver.prepay(order);

        assertEquals(sim.transaction(order.outTradeNo()).orElseThrow().prepayId(), prepaid.prepayId());
        assertTrue(sim.requests(Endpoint.BACKUP).contains("POST /v3/pay/partner/transactions/jsapi"));
        assertThrows(
                WeChatPayUnavailableException.class,
                () -> publicKeyOnly.queryPayment(order),
                "without failover the call fails");
        assertEquals("NOTPAY", failingOver.queryPayment(order).orElseThrow().tradeState());
    }

    @Test
    void aPrepayThePrimaryMadeButDidNotAnswerIsTheSameOrderAtTheBackup() {
        Order order = order(null);
        long primaryBefore = prepays(Endpoint.PRIMARY);
        long backupBefore = prepays(Endpoint.BACKUP);
        sim.faults()
                .failNextCallsAfterProcessing(
                        "/v3/pay/transactions/jsapi", 1, ApiFailure.hang(READ_TIMEOUT.multipliedBy(3)));

        PaymentRequest prepaid = failingOver.prepay(order);

        assertEquals(primaryBefore + 1, prepays(Endpoint.PRIMARY), "the primary made the order, its answer was lost");
        assertEquals(backupBefore + 1, prepays(Endpoint.BACKUP), "the same request went to the backup");
        assertEquals(
                1,
                sim.transactions().stream()
                        .filter(t -> t.outTradeNo().equals(order.outTradeNo()))
                        .count());
        assertEquals(
                sim.transaction(order.outTradeNo()).orElseThrow().prepayId(),
                prepaid.prepayId(),
                "the backup answered the order the primary had made");
    }

    private static long prepays(Endpoint endpoint) {
        return sim.requests(endpoint).stream()
                .filter("POST /v3/pay/transactions/jsapi"::equals)
                .count();
    }

    @Test
    void aRefundThePrimaryMadeButDidNotAnswerIsTheSameRefundAtTheBackup() {
        Order order = order(null);
        sim.faults().holdRefunds(null);
        sim.pay(failingOver.prepay(order).prepayId());
        Instant now = Instant.now();
        Refund refund = new Refund(
                order.nextOutRefundNo(), 900, RefundStatus.PROCESSING, null, "r", "operator", null, now, now);
        sim.faults()
                .failNextCallsAfterProcessing(
                        "/v3/refund/domestic/refunds", 1, ApiFailure.hang(READ_TIMEOUT.multipliedBy(3)));

        String refundId = failingOver.refund(order, refund).refundId();

        assertEquals(
                1,
                sim.refunds().stream()
                        .filter(r -> r.outTradeNo().equals(order.outTradeNo()))
                        .count());
        assertEquals(sim.refund(refund.outRefundNo()).orElseThrow().refundId(), refundId);
        assertEquals(900, sim.refund(refund.outRefundNo()).orElseThrow().refund());
        assertTrue(sim.requests(Endpoint.BACKUP).contains("POST /v3/refund/domestic/refunds"));
    }
}
