package io.wxpayfn.wechat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.NotificationRejectedException;
import io.wxpayfn.order.PaymentSnapshot;
import io.wxpayfn.order.RefundSnapshot;
import io.wxpayfn.order.RefundStatus;
import io.wxpayfn.order.VerifiedNotification;
import io.wxpayfn.simulator.SimCrypto;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NotificationVerifierTest {

    /** A case-insensitive header lookup over a map of header names to values, as a callback has its headers. */
    private static Function<String, String> headerLookup(Map<String, String> headers) {
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(headers);
        return byName::get;
    }

    private static final String API_V3_KEY = "0123456789abcdefABCDEF0123456789";
    private static final String PUBLIC_KEY_ID = "PUB_KEY_ID_0114000000000001";
    private static final Instant NOW = Instant.parse("2026-11-23T03:41:30Z");

    private static KeyPair platform;
    private static NotificationMaker wechatPay;
    private static NotificationVerifier verifier;

    @BeforeAll
    static void merchantInPublicKeyMode() {
        platform = SimCrypto.newRsaKeyPair();
        KeyPair merchant = SimCrypto.newRsaKeyPair();
        WeChatPaySettings settings = TestSettings.oneKeyMode(
                "1900000001",
                "MERCHANTSERIAL01",
                SimCrypto.privateKeyPem(merchant.getPrivate()),
                API_V3_KEY,
                SimCrypto.publicKeyPem(platform.getPublic()),
                PUBLIC_KEY_ID,
                "https://shop.example/pay",
                "https://shop.example/refund",
                null);
        verifier = new NotificationVerifier(WeChatPayClients.create(settings), Clock.fixed(NOW, ZoneOffset.UTC));
        wechatPay = new NotificationMaker(platform.getPrivate(), PUBLIC_KEY_ID, API_V3_KEY);
    }

    private static NotificationRejectedException rejectedPayment(String body, Map<String, String> headers) {
        return assertThrows(
                NotificationRejectedException.class, () -> verifier.verifyPayment(body, headerLookup(headers)));
    }

    @Test
    void aGenuinePaymentNotificationYieldsItsDecryptedPayment() {
        String body =
                wechatPay.body("EV-1", "TRANSACTION.SUCCESS", NotificationMaker.payment("T100001", "SUCCESS", 1500));

        VerifiedNotification<PaymentSnapshot> n = verifier.verifyPayment(
                body.getBytes(StandardCharsets.UTF_8), headerLookup(wechatPay.headers(body, NOW.minusSeconds(3))));

        assertEquals("EV-1", n.id());
        assertEquals("TRANSACTION.SUCCESS", n.eventType());
        assertEquals(Instant.parse("2026-11-23T03:41:22Z"), n.createTime());
        PaymentSnapshot p = n.payload();
        assertEquals("T100001", p.outTradeNo());
        assertEquals("1900000001", p.mchid());
        assertEquals("wx0000000000000001", p.appid());
        assertEquals("SUCCESS", p.tradeState());
        assertEquals(1500L, p.total());
        assertEquals(1500L, p.payerTotal());
        assertEquals("oUser1", p.payerOpenid());
        assertEquals(Instant.parse("2026-11-23T03:41:20Z"), p.successTime());
        assertTrue(p.isPaid());
    }

    @Test
    void headerNamesAreMatchedInAnyCase() {
        String body = wechatPay.body("EV-2", "TRANSACTION.SUCCESS", NotificationMaker.payment("T100002", "SUCCESS", 1));
        Map<String, String> lowerCase = new HashMap<>();
        wechatPay.headers(body, NOW).forEach((name, value) -> lowerCase.put(name.toLowerCase(), value));

        assertEquals(
                "T100002",
                verifier.verifyPayment(body, headerLookup(lowerCase)).payload().outTradeNo());
    }

    @Test
    void aBodyChangedAfterSigningIsRejected() {
        String body = wechatPay.body("EV-3", "TRANSACTION.SUCCESS", NotificationMaker.payment("T100003", "SUCCESS", 1));
        Map<String, String> headers = wechatPay.headers(body, NOW);

        NotificationRejectedException e = rejectedPayment(body.replace("EV-3", "EV-4"), headers);

        assertTrue(e.getMessage().contains("signature verification failed"), e.getMessage());
    }

    @Test
    void aSignatureByAnotherKeyIsRejected() {
        NotificationMaker forger =
                new NotificationMaker(SimCrypto.newRsaKeyPair().getPrivate(), PUBLIC_KEY_ID, API_V3_KEY);
        String body = forger.body("EV-5", "TRANSACTION.SUCCESS", NotificationMaker.payment("T100005", "SUCCESS", 1));

        rejectedPayment(body, forger.headers(body, NOW));
    }

    @Test
    void aSerialOtherThanThePublicKeyIdIsRejected() {
        String body = wechatPay.body("EV-6", "TRANSACTION.SUCCESS", NotificationMaker.payment("T100006", "SUCCESS", 1));
        Map<String, String> headers = wechatPay.headers(body, NOW);
        headers.put("Wechatpay-Serial", "PUB_KEY_ID_SOMEONE_ELSE");

        rejectedPayment(body, headers);
    }

    @Test
    void aResourceEncryptedWithAnotherApiV3KeyIsRejected() {
        NotificationMaker wrongKey =
                new NotificationMaker(platform.getPrivate(), PUBLIC_KEY_ID, "ffffffffffffffffffffffffffffffff");
        String body = wrongKey.body("EV-7", "TRANSACTION.SUCCESS", NotificationMaker.payment("T100007", "SUCCESS", 1));

        NotificationRejectedException e = rejectedPayment(body, wrongKey.headers(body, NOW));

        assertTrue(e.getMessage().contains("decrypt"), e.getMessage());
    }

    @Test
    void aTimestampOlderThanFiveMinutesIsRejectedAsAReplay() {
        String body = wechatPay.body("EV-8", "TRANSACTION.SUCCESS", NotificationMaker.payment("T100008", "SUCCESS", 1));

        NotificationRejectedException e = rejectedPayment(body, wechatPay.headers(body, NOW.minusSeconds(301)));

        assertTrue(e.getMessage().contains("window"), e.getMessage());
    }

    @Test
    void aTimestampMoreThanFiveMinutesAheadIsRejected() {
        String body = wechatPay.body("EV-9", "TRANSACTION.SUCCESS", NotificationMaker.payment("T100009", "SUCCESS", 1));

        rejectedPayment(body, wechatPay.headers(body, NOW.plusSeconds(301)));
    }

    @Test
    void aTimestampJustInsideTheWindowIsAccepted() {
        String body =
                wechatPay.body("EV-10", "TRANSACTION.SUCCESS", NotificationMaker.payment("T100010", "SUCCESS", 1));

        assertEquals(
                "EV-10",
                verifier.verifyPayment(body, headerLookup(wechatPay.headers(body, NOW.minusSeconds(300))))
                        .id());
    }

    @Test
    void aSignTestProbeIsRejectedAsAProbe() {
        String body =
                wechatPay.body("EV-11", "TRANSACTION.SUCCESS", NotificationMaker.payment("T100011", "SUCCESS", 1));
        Map<String, String> headers = wechatPay.headers(body, NOW);
        headers.put("Wechatpay-Signature", "WECHATPAY/SIGNTEST/" + headers.get("Wechatpay-Signature"));

        NotificationRejectedException e = rejectedPayment(body, headers);

        assertTrue(e.getMessage().contains("probe"), e.getMessage());
    }

    @Test
    void eachMissingHeaderIsRejectedByName() {
        String body =
                wechatPay.body("EV-12", "TRANSACTION.SUCCESS", NotificationMaker.payment("T100012", "SUCCESS", 1));
        for (String name :
                new String[] {"Wechatpay-Serial", "Wechatpay-Signature", "Wechatpay-Timestamp", "Wechatpay-Nonce"}) {
            Map<String, String> headers = wechatPay.headers(body, NOW);
            headers.remove(name);

            NotificationRejectedException e = rejectedPayment(body, headers);

            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    void aRefundEventIsNotAcceptedAsAPayment() {
        String body = wechatPay.body(
                "EV-13", "REFUND.SUCCESS", NotificationMaker.refund("T100013", "T100013R01", "SUCCESS", 100, 1000));

        NotificationRejectedException e = rejectedPayment(body, wechatPay.headers(body, NOW));

        assertTrue(e.getMessage().contains("REFUND.SUCCESS"), e.getMessage());
    }

    @Test
    void aPaymentEventIsNotAcceptedAsARefund() {
        String body =
                wechatPay.body("EV-14", "TRANSACTION.SUCCESS", NotificationMaker.payment("T100014", "SUCCESS", 1));

        assertThrows(
                NotificationRejectedException.class,
                () -> verifier.verifyRefund(body, headerLookup(wechatPay.headers(body, NOW))));
    }

    @Test
    void aGenuineRefundNotificationYieldsItsRefundWithStatus() {
        String body = wechatPay.body(
                "EV-15", "REFUND.ABNORMAL", NotificationMaker.refund("T100015", "T100015R01", "ABNORMAL", 300, 1000));

        VerifiedNotification<RefundSnapshot> n =
                verifier.verifyRefund(body, headerLookup(wechatPay.headers(body, NOW)));

        RefundSnapshot r = n.payload();
        assertEquals("REFUND.ABNORMAL", n.eventType());
        assertEquals("1900000001", r.mchid());
        assertEquals("T100015", r.outTradeNo());
        assertEquals("T100015R01", r.outRefundNo());
        assertEquals("50000000001", r.refundId());
        assertEquals(RefundStatus.ABNORMAL, r.status());
        assertEquals(300, r.refund());
        assertEquals(1000, r.total());
    }

    @Test
    void aPaymentNotificationWhoseTradeStateIsNotSuccessIsRejected() {
        for (String state : new String[] {"CLOSED", "NOTPAY", "REFUND"}) {
            String body = wechatPay.body(
                    "EV-17-" + state, "TRANSACTION.SUCCESS", NotificationMaker.payment("T100017", state, 100));

            NotificationRejectedException e = rejectedPayment(body, wechatPay.headers(body, NOW));

            assertTrue(e.getMessage().contains("trade_state " + state), e.getMessage());
        }
    }

    @Test
    void aSignedPaymentWithoutAFieldItIsBookedByIsRejectedNamingIt() {
        String complete = NotificationMaker.payment("T100018", "SUCCESS", 100);
        Map<String, String> removals = Map.of(
                "\"transaction_id\":\"4200000001202611230000000001\",", "transaction_id",
                "\"payer\":{\"openid\":\"oUser1\"},", "payer.openid",
                "\"payer_total\":100,", "amount.payer_total",
                "\"success_time\":\"2026-11-23T11:41:20+08:00\",", "success_time");
        removals.forEach((text, field) -> {
            assertTrue(complete.contains(text), text);
            String body = wechatPay.body("EV-18-" + field, "TRANSACTION.SUCCESS", complete.replace(text, ""));

            NotificationRejectedException e = rejectedPayment(body, wechatPay.headers(body, NOW));

            assertTrue(e.getMessage().contains(field), e.getMessage());
        });
        String dollars = wechatPay.body(
                "EV-18-USD", "TRANSACTION.SUCCESS", complete.replace("\"currency\":\"CNY\"", "\"currency\":\"USD\""));
        assertTrue(rejectedPayment(dollars, wechatPay.headers(dollars, NOW))
                .getMessage()
                .contains("USD"));
    }

    @Test
    void aRefundNotificationWithoutItsTransactionIsRejected() {
        String body = wechatPay.body(
                "EV-19",
                "REFUND.SUCCESS",
                NotificationMaker.refund("T100019", "T100019R01", "SUCCESS", 100, 1000)
                        .replace("\"transaction_id\":\"4200000001\",", ""));

        NotificationRejectedException e = assertThrows(
                NotificationRejectedException.class,
                () -> verifier.verifyRefund(body, headerLookup(wechatPay.headers(body, NOW))));

        assertTrue(e.getMessage().contains("transaction_id"), e.getMessage());
    }

    @Test
    void aBodyThatIsNotUtf8IsRejected() {
        byte[] body = {'{', (byte) 0xC3, (byte) 0x28, '}'};

        assertThrows(
                NotificationRejectedException.class,
                () -> verifier.verifyPayment(body, headerLookup(wechatPay.headers("{}", NOW))));
    }

    @Test
    void rejectionMessagesDoNotRepeatTheSignatureOrTheApiV3Key() {
        String body =
                wechatPay.body("EV-16", "TRANSACTION.SUCCESS", NotificationMaker.payment("T100016", "SUCCESS", 1));
        Map<String, String> headers = wechatPay.headers(body, NOW);
        String signature = headers.get("Wechatpay-Signature");

        NotificationRejectedException e = rejectedPayment(body + " ", headers);

        assertFalse(e.getMessage().contains(signature));
        assertFalse(e.getMessage().contains(API_V3_KEY));
    }
}
