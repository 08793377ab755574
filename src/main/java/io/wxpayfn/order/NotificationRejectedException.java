package io.wxpayfn.order;

/** Thrown when a WeChat Pay notification is forged, stale, a probe, or names no stored order; nothing changes. */
public class NotificationRejectedException extends PaymentException {

    public NotificationRejectedException(String message) {
        super(Kind.NOTIFICATION_REJECTED, message);
    }
}
