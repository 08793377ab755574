package io.wxpayfn.wechat;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.wechat.pay.java.core.exception.DecryptionException;
import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.notification.Notification;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.core.util.GsonUtil;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.refund.model.RefundNotification;
import io.wxpayfn.order.NotificationRejectedException;
import io.wxpayfn.order.NotificationVerification;
import io.wxpayfn.order.PaymentSnapshot;
import io.wxpayfn.order.RefundSnapshot;
import io.wxpayfn.order.VerifiedNotification;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Verifies a WeChat Pay notification exactly as it arrived (raw body, headers) and decrypts it with the SDK.
 * Before the SDK it rejects what the SDK does not: a missing header, a timestamp outside ±5 minutes (replays)
 * and a {@code WECHATPAY/SIGNTEST/} probe. Every failure is a {@link NotificationRejectedException}.
 */
public final class NotificationVerifier implements NotificationVerification {

    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    static final String SIGNATURE_PROBE_PREFIX = "WECHATPAY/SIGNTEST/";
    private static final String DEFAULT_SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048";
    private static final String PAYMENT_EVENT = "TRANSACTION.SUCCESS";
    private static final String SUCCESS_STATE = "SUCCESS";
    private static final String REFUND_EVENT_PREFIX = "REFUND.";

    private final NotificationParser parser;
    private final Clock clock;
    private final Gson gson = GsonUtil.getGson();

    public NotificationVerifier(WeChatPayClients clients, Clock clock) {
        this.parser = clients.notificationParser();
        this.clock = clock;
    }

    /**
     * A TRANSACTION.SUCCESS notification.
     *
     * @param header case-insensitive lookup of the request's headers (null when absent)
     */
    @Override
    public VerifiedNotification<PaymentSnapshot> verifyPayment(byte[] body, Function<String, String> header) {
        return verifyPayment(utf8(body), header);
    }

    public VerifiedNotification<PaymentSnapshot> verifyPayment(String body, Function<String, String> header) {
        Verified verified = verify(body, header);
        if (!PAYMENT_EVENT.equals(verified.envelope.getEventType())) {
            throw new NotificationRejectedException(
                    "event type " + verified.envelope.getEventType() + " is not a payment notification");
        }
        // A service provider's notification names sp_mchid and sub_mchid, a direct merchant's mchid: each is read
        // with its own SDK model, and the order's cross-check then compares every party it names.
        PaymentSnapshot payment = readPayload(
                "payment",
                () -> isPartner(verified.resource)
                        ? Snapshots.partnerPayment(gson.fromJson(
                                verified.resource,
                                com.wechat.pay.java.service.partnerpayments.jsapi.model.Transaction.class))
                        : Snapshots.payment(gson.fromJson(verified.resource, Transaction.class)));
        // TRANSACTION.SUCCESS announces a payment: any other trade_state inside it is contradictory, never applied.
        if (!SUCCESS_STATE.equals(payment.tradeState())) {
            throw new NotificationRejectedException(PAYMENT_EVENT + " for order " + payment.outTradeNo()
                    + " carries trade_state " + payment.tradeState());
        }
        return verified.with(payment);
    }

    /** A REFUND.SUCCESS, REFUND.ABNORMAL or REFUND.CLOSED notification. */
    @Override
    public VerifiedNotification<RefundSnapshot> verifyRefund(byte[] body, Function<String, String> header) {
        return verifyRefund(utf8(body), header);
    }

    public VerifiedNotification<RefundSnapshot> verifyRefund(String body, Function<String, String> header) {
        Verified verified = verify(body, header);
        String eventType = verified.envelope.getEventType();
        if (eventType == null || !eventType.startsWith(REFUND_EVENT_PREFIX)) {
            throw new NotificationRejectedException("event type " + eventType + " is not a refund notification");
        }
        RefundSnapshot refund = readPayload("refund", () -> {
            RefundNotification n = gson.fromJson(verified.resource, RefundNotification.class);
            boolean partner = isPartner(verified.resource);
            String mchid = text(verified.resource, partner ? "sp_mchid" : "mchid");
            String subMchid = text(verified.resource, "sub_mchid");
            if (partner && (subMchid == null || subMchid.isBlank())) {
                throw new MalformedMessageException("partner refund without sub_mchid");
            }
            return Snapshots.refund(
                    mchid,
                    subMchid,
                    n.getOutTradeNo(),
                    n.getTransactionId(),
                    n.getOutRefundNo(),
                    n.getRefundId(),
                    n.getRefundStatus(),
                    n.getAmount(),
                    n.getSuccessTime());
        });
        return verified.with(refund);
    }

    /** A service provider's resource names sp_mchid (and sub_mchid) where a direct merchant's names mchid. */
    private static boolean isPartner(JsonObject resource) {
        return resource.has("sp_mchid") || resource.has("sub_mchid");
    }

    private static String text(JsonObject resource, String field) {
        JsonElement value = resource.get(field);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }

    private Verified verify(String body, Function<String, String> header) {
        String serial = required(header, "Wechatpay-Serial");
        String signature = required(header, "Wechatpay-Signature");
        String timestamp = required(header, "Wechatpay-Timestamp");
        String nonce = required(header, "Wechatpay-Nonce");
        String signatureType = header.apply("Wechatpay-Signature-Type");
        if (signature.startsWith(SIGNATURE_PROBE_PREFIX)) {
            throw new NotificationRejectedException(
                    "signature probe (" + SIGNATURE_PROBE_PREFIX + "), not a notification");
        }
        requireFresh(timestamp);
        RequestParam request = new RequestParam.Builder()
                .serialNumber(serial)
                .signature(signature)
                .timestamp(timestamp)
                .nonce(nonce)
                .signType(signatureType == null || signatureType.isBlank() ? DEFAULT_SIGNATURE_TYPE : signatureType)
                .body(body)
                .build();
        JsonObject resource;
        try {
            resource = parser.parse(request, JsonObject.class);
        } catch (ValidationException e) {
            throw new NotificationRejectedException("signature verification failed (serial " + serial + ")");
        } catch (DecryptionException e) {
            throw new NotificationRejectedException("resource could not be decrypted with the APIv3 key");
        } catch (IllegalArgumentException e) {
            throw new NotificationRejectedException("signature is not a readable WeChat Pay signature");
        } catch (RuntimeException e) {
            throw new NotificationRejectedException(
                    "notification is malformed (" + e.getClass().getSimpleName() + ")");
        }
        if (resource == null) {
            throw new NotificationRejectedException("notification resource is empty");
        }
        Notification envelope = gson.fromJson(body, Notification.class);
        if (envelope.getId() == null || envelope.getEventType() == null) {
            throw new NotificationRejectedException("notification has no id or event_type");
        }
        return new Verified(
                envelope, resource, readPayload("envelope", () -> Snapshots.instantOrNull(envelope.getCreateTime())));
    }

    private void requireFresh(String timestamp) {
        Instant sent;
        try {
            sent = Instant.ofEpochSecond(Long.parseLong(timestamp.trim()));
        } catch (RuntimeException e) {
            throw new NotificationRejectedException("Wechatpay-Timestamp is not a number of seconds");
        }
        Duration skew = Duration.between(sent, clock.instant()).abs();
        if (skew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new NotificationRejectedException("Wechatpay-Timestamp " + timestamp + " is " + skew.toSeconds()
                    + " s away from now, outside the " + MAX_CLOCK_SKEW.toMinutes() + "-minute window");
        }
    }

    private static String required(Function<String, String> header, String name) {
        String value = header.apply(name);
        if (value == null || value.isBlank()) {
            throw new NotificationRejectedException("header " + name + " is missing");
        }
        return value;
    }

    private static <T> T readPayload(String what, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (MalformedMessageException e) {
            // Raised by Snapshots with a message of its own that names the missing or odd field.
            throw new NotificationRejectedException("verified " + what + " is incomplete: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new NotificationRejectedException(
                    "verified " + what + " could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Strict: the signature covers bytes, so a body that is not UTF-8 cannot be verified as a String. */
    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new NotificationRejectedException("body is not UTF-8");
        }
    }

    private record Verified(Notification envelope, JsonObject resource, Instant createTime) {
        <T> VerifiedNotification<T> with(T payload) {
            return new VerifiedNotification<>(envelope.getId(), envelope.getEventType(), createTime, payload);
        }
    }
}
