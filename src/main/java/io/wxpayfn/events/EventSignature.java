package io.wxpayfn.events;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of an order event delivery: {@code sha256=} and the hex HMAC-SHA256, under MERCHANT_EVENTS_SECRET,
 * of the timestamp header's value, a dot, and the exact body bytes. Covering the timestamp lets a receiver refuse a
 * replayed delivery by its age; every attempt is signed afresh.
 */
final class EventSignature {

    static final String ID_HEADER = "Wxpayfn-Event-Id";
    static final String TYPE_HEADER = "Wxpayfn-Event-Type";
    static final String TIMESTAMP_HEADER = "Wxpayfn-Timestamp";
    static final String SIGNATURE_HEADER = "Wxpayfn-Signature";

    private final SecretKeySpec key;

    EventSignature(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The Wxpayfn-Signature value for {@code body} sent with Wxpayfn-Timestamp {@code timestamp}. */
    String sign(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
