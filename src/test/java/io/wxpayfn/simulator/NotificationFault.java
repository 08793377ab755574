package io.wxpayfn.simulator;

import java.time.Duration;

/**
 * Something that goes wrong with one notification. Faults that corrupt a delivery (tampered body,
 * bad signature, old timestamp, wrong amount) affect only the first attempt: the retries WeChat Pay
 * makes after the receiver refuses it are genuine, as they would be after a real interception.
 */
public record NotificationFault(
        Kind kind, int copies, boolean concurrent, Duration delay, String field, String jsonValue) {

    public enum Kind {
        /** Never delivered. */
        DROP,
        /** Delivered after {@link #delay()} (not scaled). */
        DELAY,
        /** Delivered {@link #copies()} times with the same id and body, optionally at the same moment. */
        DUPLICATE,
        /** Kept back until {@link WeChatPaySimulator#releaseHeldNotifications(String)}: for out-of-order tests. */
        HOLD,
        /** Preceded by a probe whose Wechatpay-Signature starts with {@code WECHATPAY/SIGNTEST/}. */
        SIGNTEST_PROBE,
        /** Body bytes changed after signing. */
        TAMPERED_BODY,
        /** Signature made with a key that is not the platform's. */
        BAD_SIGNATURE,
        /** Correctly signed, with a Wechatpay-Timestamp six minutes in the past. */
        OLD_TIMESTAMP,
        /**
         * Signed with the platform's key, but under a Wechatpay-Serial that is neither its public key id
         * nor its certificate's serial: a receiver cannot tell which key to check it with.
         */
        UNKNOWN_SERIAL,
        /** Correctly signed and encrypted, but the amount inside differs from the order's by one fen. */
        AMOUNT_MISMATCH,
        /**
         * Correctly signed and encrypted, but one field of the decrypted resource is removed or replaced
         * ({@link #field()}, dotted like {@code amount.currency}; {@link #jsonValue()} null removes it).
         */
        ALTERED_RESOURCE
    }

    public static NotificationFault drop() {
        return of(Kind.DROP);
    }

    public static NotificationFault delay(Duration delay) {
        return new NotificationFault(Kind.DELAY, 1, false, delay, null, null);
    }

    public static NotificationFault duplicate(int copies, boolean concurrent) {
        if (copies < 2) {
            throw new IllegalArgumentException("a duplicate needs at least 2 copies");
        }
        return new NotificationFault(Kind.DUPLICATE, copies, concurrent, Duration.ZERO, null, null);
    }

    public static NotificationFault hold() {
        return of(Kind.HOLD);
    }

    public static NotificationFault signTestProbe() {
        return of(Kind.SIGNTEST_PROBE);
    }

    public static NotificationFault tamperedBody() {
        return of(Kind.TAMPERED_BODY);
    }

    public static NotificationFault badSignature() {
        return of(Kind.BAD_SIGNATURE);
    }

    public static NotificationFault oldTimestamp() {
        return of(Kind.OLD_TIMESTAMP);
    }

    public static NotificationFault unknownSerial() {
        return of(Kind.UNKNOWN_SERIAL);
    }

    public static NotificationFault amountMismatch() {
        return of(Kind.AMOUNT_MISMATCH);
    }

    /** The resource arrives without {@code field} (dotted path, e.g. {@code payer.openid}). */
    public static NotificationFault withoutField(String field) {
        return new NotificationFault(Kind.ALTERED_RESOURCE, 1, false, Duration.ZERO, field, null);
    }

    /** The resource arrives with {@code field} set to {@code jsonValue} (JSON text, e.g. {@code "\"USD\""}). */
    public static NotificationFault withField(String field, String jsonValue) {
        if (jsonValue == null) {
            throw new IllegalArgumentException("a replacement needs a JSON value; use withoutField to remove");
        }
        return new NotificationFault(Kind.ALTERED_RESOURCE, 1, false, Duration.ZERO, field, jsonValue);
    }

    private static NotificationFault of(Kind kind) {
        return new NotificationFault(kind, 1, false, Duration.ZERO, null, null);
    }
}
