package io.wxpayfn.order;

/** Thrown when a verified notification or query contradicts the stored order (amount, merchant, app, payer): an alert. */
public class NotificationMismatchException extends NotificationRejectedException {

    public NotificationMismatchException(String message) {
        super(message);
    }
}
