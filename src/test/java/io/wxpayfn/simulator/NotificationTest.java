package io.wxpayfn.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.refund.model.AmountReq;
import com.wechat.pay.java.service.refund.model.CreateRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Notifications as a merchant's notify_url sees them, parsed with the SDK's NotificationParser. */
class NotificationTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    WeChatPaySimulator sim;
    SdkClient sdk;
    NotifyReceiver receiver;
    NotificationParser parser;

    @BeforeEach
    void start() {
        sim = WeChatPaySimulator.start(SimulatorOptions.defaults().withTimeScale(0.001));
        sdk = new SdkClient(sim);
        receiver = new NotifyReceiver();
        parser = new NotificationParser(sdk.config);
    }

    @AfterEach
    void stop() {
        sim.close();
        receiver.close();
    }

    @Test
    void paymentNotificationParsesIntoTheTransaction() throws Exception {
        PaymentResult paid = sim.pay(prepay("NOTIFYPAY01", 888));
        Transaction t = parser.parse(receiver.await(1, WAIT).get(0).requestParam(), Transaction.class);
        assertEquals("NOTIFYPAY01", t.getOutTradeNo());
        assertEquals(paid.transactionId(), t.getTransactionId());
        assertEquals(Transaction.TradeStateEnum.SUCCESS, t.getTradeState());
        assertEquals(888, t.getAmount().getPayerTotal());
        assertEquals(sim.openidOf("dave"), t.getPayer().getOpenid());
    }

    @Test
    void nonSuccessAnswersAreRetriedOnTheScaledSchedule() throws Exception {
        receiver.answerWith(r -> receiver.received().size() < 4 ? 500 : 200);
        sim.pay(prepay("RETRYPAY01", 100));
        List<Delivery> attempts = sim.awaitDeliveries(d -> d.concerns("RETRYPAY01"), 4, WAIT);
        assertEquals(
                List.of(1, 2, 3, 4), attempts.stream().map(Delivery::attempt).toList());
        assertTrue(attempts.get(3).acknowledged());
        // 15 s, 15 s, 30 s scaled by 0.001 = 15, 15, 30 ms between attempts (at least)
        assertTrue(gap(attempts, 2) >= 25, "third wait is 30 ms scaled, was " + gap(attempts, 2));
        // Nothing further may come once acknowledged: no attempt is scheduled or running any more.
        sim.awaitNoDeliveriesInFlight("RETRYPAY01", WAIT);
        assertEquals(4, sim.deliveries().size());
    }

    @Test
    void duplicatesArriveWithTheSameIdAndBody_concurrently() throws Exception {
        sim.faults().onNextNotification("DUPPAY0001", NotificationFault.duplicate(3, true));
        sim.pay(prepay("DUPPAY0001", 100));
        List<NotifyReceiver.Received> got = receiver.await(3, WAIT);
        assertEquals(
                1, got.stream().map(NotifyReceiver.Received::body).distinct().count());
        got.forEach(r -> parser.parse(r.requestParam(), Transaction.class));
    }

    @Test
    void redeliverSendsTheLastNotificationAgain() throws Exception {
        sim.pay(prepay("REDELIVER01", 100));
        String first = receiver.await(1, WAIT).get(0).body();
        sim.redeliver("REDELIVER01", 2, false);
        List<NotifyReceiver.Received> got = receiver.await(3, WAIT);
        assertTrue(got.stream().allMatch(r -> r.body().equals(first)));
    }

    @Test
    void droppedNotificationsNeverArrive() {
        sim.faults().onNextNotification("DROPPAY001", NotificationFault.drop());
        sim.pay(prepay("DROPPAY001", 100));
        sim.awaitDeliveries(d -> d.kind() == Delivery.Kind.DROPPED, 1, WAIT);
        assertEquals(0, receiver.received().size());
    }

    @Test
    void signedCopyOfADroppedNotificationIsGenuineAndKeepsItsId() {
        sim.faults().onNextNotification("COPYPAY001", NotificationFault.drop());
        PaymentResult paid = sim.pay(prepay("COPYPAY001", 700));
        String droppedId = sim.awaitDeliveries(d -> d.kind() == Delivery.Kind.DROPPED, 1, WAIT)
                .get(0)
                .notificationId();

        SignedNotification first = sim.signedNotification("COPYPAY001");
        SignedNotification second = sim.signedNotification(droppedId);
        Transaction t = parser.parse(
                new NotifyReceiver.Received(lowerCase(first.headers()), first.body()).requestParam(),
                Transaction.class);
        assertEquals(paid.transactionId(), t.getTransactionId());
        assertEquals(droppedId, first.id());
        assertEquals(first.body(), second.body());
        assertNotEquals(first.headers().get("Wechatpay-Nonce"), second.headers().get("Wechatpay-Nonce"));
        assertEquals(receiver.url(), first.notifyUrl());
        assertEquals(0, receiver.received().size());
        assertEquals(1, sim.deliveries().size());
    }

    private static java.util.Map<String, String> lowerCase(java.util.Map<String, String> headers) {
        java.util.Map<String, String> lower = new java.util.HashMap<>();
        headers.forEach((name, value) -> lower.put(name.toLowerCase(java.util.Locale.ROOT), value));
        return lower;
    }

    @Test
    void delayedNotificationArrivesAfterTheDelay() throws Exception {
        sim.faults().onNextNotification("DELAYPAY01", NotificationFault.delay(Duration.ofMillis(300)));
        Instant before = Instant.now();
        sim.pay(prepay("DELAYPAY01", 100));
        receiver.await(1, WAIT);
        assertTrue(Duration.between(before, Instant.now()).toMillis() >= 300);
    }

    @Test
    void heldPaymentNotificationArrivesAfterTheRefundNotification() throws Exception {
        sim.faults().onNextNotification("ORDERPAY01", NotificationFault.hold());
        sim.pay(prepay("ORDERPAY01", 100));
        sdk.refunds().create(refund("ORDERPAY01", "R-ORDERPAY01"));
        sim.awaitAcknowledged("R-ORDERPAY01", "REFUND.SUCCESS", WAIT);
        sim.releaseHeldNotifications("ORDERPAY01");
        List<NotifyReceiver.Received> got = receiver.await(2, WAIT);
        assertTrue(got.get(0).body().contains("REFUND.SUCCESS"));
        assertTrue(got.get(1).body().contains("TRANSACTION.SUCCESS"));
    }

    @Test
    void signTestProbeIsRejectedByTheSdkAndTheGenuineNotificationFollows() throws Exception {
        sim.faults().onNextNotification(NotificationFault.signTestProbe());
        sim.pay(prepay("PROBEPAY01", 100));
        List<NotifyReceiver.Received> got = receiver.await(2, WAIT);
        assertTrue(got.get(0).header("Wechatpay-Signature").startsWith("WECHATPAY/SIGNTEST/"));
        // Depending on whether the probe's text happens to decode as Base64, the SDK throws
        // IllegalArgumentException or ValidationException: either way it never yields a notification.
        RuntimeException refused = assertThrows(
                RuntimeException.class, () -> parser.parse(got.get(0).requestParam(), Transaction.class));
        assertTrue(
                refused instanceof IllegalArgumentException || refused instanceof ValidationException,
                refused.getClass().getName());
        parser.parse(got.get(1).requestParam(), Transaction.class);
    }

    @Test
    void tamperedBodyAndBadSignatureFailValidationAndTheGenuineRetryFollows() throws Exception {
        receiver.answerWith(r -> verifies(r) ? 200 : 401);
        sim.faults().onNextNotification("TAMPER0001", NotificationFault.tamperedBody());
        sim.faults().onNextNotification("BADSIG0001", NotificationFault.badSignature());
        sim.pay(prepay("TAMPER0001", 100));
        sim.pay(prepay("BADSIG0001", 100));
        for (String key : List.of("TAMPER0001", "BADSIG0001")) {
            Delivery ok = sim.awaitAcknowledged(key, "TRANSACTION.SUCCESS", WAIT);
            assertEquals(2, ok.attempt());
        }
        assertEquals(2, receiver.received().stream().filter(r -> !verifies(r)).count());
    }

    @Test
    void oldTimestampArrivesSixMinutesOldButCorrectlySigned() throws Exception {
        sim.faults().onNextNotification(NotificationFault.oldTimestamp());
        sim.pay(prepay("OLDTIME001", 100));
        NotifyReceiver.Received r = receiver.await(1, WAIT).get(0);
        long age = Instant.now().getEpochSecond() - Long.parseLong(r.header("Wechatpay-Timestamp"));
        assertTrue(age >= 355 && age <= 370, "age " + age);
        parser.parse(r.requestParam(), Transaction.class); // the SDK leaves the age check to us
    }

    @Test
    void amountMismatchIsCorrectlySignedButDiffersFromTheOrder() throws Exception {
        sim.faults().onNextNotification("MISMATCH01", NotificationFault.amountMismatch());
        sim.pay(prepay("MISMATCH01", 100));
        Transaction t = parser.parse(receiver.await(1, WAIT).get(0).requestParam(), Transaction.class);
        assertNotEquals(100, t.getAmount().getTotal());
    }

    @Test
    void alteredResourceIsCorrectlySignedAndEncryptedWithTheFieldRemovedOrReplaced() throws Exception {
        sim.faults().onNextNotification("ALTERED01", NotificationFault.withoutField("payer.openid"));
        sim.faults().onNextNotification("ALTERED02", NotificationFault.withField("amount.currency", "\"USD\""));
        sim.pay(prepay("ALTERED01", 100));
        sim.pay(prepay("ALTERED02", 100));
        sim.awaitDeliveries(d -> d.kind() == Delivery.Kind.ALTERED_RESOURCE, 2, WAIT);
        List<NotifyReceiver.Received> got = receiver.await(2, WAIT);
        for (NotifyReceiver.Received r : got) {
            Transaction t = parser.parse(r.requestParam(), Transaction.class);
            if (t.getOutTradeNo().equals("ALTERED01")) {
                assertEquals(null, t.getPayer().getOpenid());
            } else {
                assertEquals("USD", t.getAmount().getCurrency());
            }
        }
    }

    @Test
    void heldRetriesWaitUntilReleasedAndThenFollowTheSchedule() throws Exception {
        receiver.answerWith(r -> receiver.received().size() < 2 ? 500 : 200);
        sim.faults().holdRetries("HOLDRETRY1");
        sim.pay(prepay("HOLDRETRY1", 100));
        sim.awaitDeliveries(d -> d.concerns("HOLDRETRY1"), 1, WAIT);
        sim.awaitNoDeliveriesInFlight("HOLDRETRY1", WAIT);
        assertEquals(1, sim.deliveries().size(), "the retry is held back");

        sim.releaseHeldNotifications("HOLDRETRY1");

        Delivery retry = sim.awaitAcknowledged("HOLDRETRY1", "TRANSACTION.SUCCESS", WAIT);
        assertEquals(2, retry.attempt());
    }

    private boolean verifies(NotifyReceiver.Received r) {
        try {
            parser.parse(r.requestParam(), Transaction.class);
            return true;
        } catch (ValidationException e) {
            return false;
        }
    }

    private static long gap(List<Delivery> attempts, int index) {
        return Duration.between(
                        attempts.get(index).at(), attempts.get(index + 1).at())
                .toMillis();
    }

    private String prepay(String outTradeNo, int fen) {
        return sdk.jsapi()
                .prepayWithRequestPayment(sdk.prepayRequest(outTradeNo, fen, "dave", receiver.url()))
                .getPackageVal()
                .substring("prepay_id=".length());
    }

    private CreateRequest refund(String outTradeNo, String outRefundNo) {
        CreateRequest request = new CreateRequest();
        request.setOutTradeNo(outTradeNo);
        request.setOutRefundNo(outRefundNo);
        request.setNotifyUrl(receiver.url());
        AmountReq amount = new AmountReq();
        amount.setRefund(100L);
        amount.setTotal(100L);
        amount.setCurrency("CNY");
        request.setAmount(amount);
        return request;
    }
}
