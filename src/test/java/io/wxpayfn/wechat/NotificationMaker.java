package io.wxpayfn.wechat;

import io.wxpayfn.simulator.SimCrypto;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Builds notifications as WeChat Pay sends them, with the JDK only: AES-256-GCM resource, SHA256withRSA signature. */
final class NotificationMaker {

    private final PrivateKey platformKey;
    private final String serial;
    private final String apiV3Key;

    NotificationMaker(PrivateKey platformKey, String serial, String apiV3Key) {
        this.platformKey = platformKey;
        this.serial = serial;
        this.apiV3Key = apiV3Key;
    }

    String body(String id, String eventType, String plaintextResource) {
        String nonce = "n0nce0f12chr";
        String associatedData = "transaction";
        return "{\"id\":\"" + id
                + "\",\"create_time\":\"2026-11-23T11:41:22+08:00\",\"resource_type\":\"encrypt-resource\","
                + "\"event_type\":\"" + eventType
                + "\",\"summary\":\"s\",\"resource\":{\"original_type\":\"transaction\","
                + "\"algorithm\":\"AEAD_AES_256_GCM\",\"ciphertext\":\""
                + encrypt(plaintextResource, nonce, associatedData)
                + "\",\"associated_data\":\"" + associatedData + "\",\"nonce\":\"" + nonce + "\"}}";
    }

    /** The headers of a delivery at {@code sentAt}, signed over exactly {@code body}. */
    Map<String, String> headers(String body, Instant sentAt) {
        String timestamp = String.valueOf(sentAt.getEpochSecond());
        String nonce = "delivery-nonce-1";
        Map<String, String> headers = new TreeMap<>();
        headers.put("Wechatpay-Serial", serial);
        headers.put("Wechatpay-Timestamp", timestamp);
        headers.put("Wechatpay-Nonce", nonce);
        headers.put("Wechatpay-Signature", SimCrypto.sign(platformKey, timestamp + "\n" + nonce + "\n" + body + "\n"));
        headers.put("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
        return headers;
    }

    static String payment(String outTradeNo, String tradeState, long total) {
        return "{\"appid\":\"wx0000000000000001\",\"mchid\":\"1900000001\",\"out_trade_no\":\"" + outTradeNo + "\","
                + "\"transaction_id\":\"4200000001202611230000000001\",\"trade_type\":\"JSAPI\",\"trade_state\":\""
                + tradeState + "\",\"trade_state_desc\":\"ok\",\"bank_type\":\"OTHERS\",\"attach\":\"\","
                + "\"success_time\":\"2026-11-23T11:41:20+08:00\",\"payer\":{\"openid\":\"oUser1\"},"
                + "\"amount\":{\"total\":" + total + ",\"payer_total\":" + total + ",\"currency\":\"CNY\","
                + "\"payer_currency\":\"CNY\"}}";
    }

    static String refund(String outTradeNo, String outRefundNo, String status, long refund, long total) {
        return "{\"mchid\":\"1900000001\",\"out_trade_no\":\"" + outTradeNo + "\",\"transaction_id\":\"4200000001\","
                + "\"out_refund_no\":\"" + outRefundNo + "\",\"refund_id\":\"50000000001\",\"refund_status\":\""
                + status
                + "\",\"success_time\":\"2026-11-23T11:50:00+08:00\",\"user_received_account\":\"x\","
                + "\"amount\":{\"total\":" + total + ",\"refund\":" + refund + ",\"payer_total\":" + total
                + ",\"payer_refund\":" + refund + "}}";
    }

    private String encrypt(String plaintext, String nonce, String associatedData) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(apiV3Key.getBytes(StandardCharsets.UTF_8), "AES"),
                    new GCMParameterSpec(128, nonce.getBytes(StandardCharsets.UTF_8)));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
