package io.wxpayfn.events;

// snippet:java
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public final class VerifyOrderEvent {

    /**
     * True when an order event was signed with your MERCHANT_EVENTS_SECRET at most five minutes ago. rawBody: the
     * exact bytes received, before any JSON parsing; timestamp and signature: the Wxpayfn-Timestamp and
     * Wxpayfn-Signature headers; nowSeconds: System.currentTimeMillis() / 1000.
     */
    public static boolean verifyOrderEvent(String secret, byte[] rawBody, String timestamp, String signature,
                                           long nowSeconds) throws Exception {
        if (timestamp == null || signature == null || !timestamp.matches("[0-9]{1,12}")
                || Math.abs(nowSeconds - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(rawBody));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                signature.getBytes(StandardCharsets.UTF_8));
    }
}
// snippet:end
