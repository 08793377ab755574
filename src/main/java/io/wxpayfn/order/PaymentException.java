package io.wxpayfn.order;

/**
 * Base of every refusal or failure that reaches a caller as a non-zero errcode. Each is of one {@link Kind}, what
 * went wrong in the domain's terms; function/ErrorCode maps the kinds to the errcode table, in one place.
 */
public abstract class PaymentException extends RuntimeException {

    /** What kind of refusal or failure: the caller's to fix (the first ones), or a dependency's (the last ones). */
    public enum Kind {
        /** A field is missing, of the wrong type or out of range. */
        INVALID_REQUEST,
        /** No session, or a forged or expired one. */
        UNAUTHENTICATED,
        /** WeChat refused the wx.login code. */
        LOGIN_REFUSED,
        /** The caller may not do this to this order. */
        FORBIDDEN,
        /** The refund policy does not allow this owner's refund. */
        REFUND_NOT_ALLOWED,
        /** No such order or refund. */
        NOT_FOUND,
        /** The order's state does not allow the operation. */
        STATE_CONFLICT,
        /** An idempotency key reused for another request. */
        IDEMPOTENCY_CONFLICT,
        /** More than remains refundable, or too many refunds. */
        REFUND_LIMIT_EXCEEDED,
        /** A notification that is forged, stale, a probe, or contradicts the order. */
        NOTIFICATION_REJECTED,
        /** WeChat Pay refused the request with a business code. */
        WECHATPAY_REJECTED,
        /** WeChat Pay failed, throttled or timed out. */
        WECHATPAY_UNAVAILABLE,
        /** WeChat Pay's trade bill could not be read (truncated or corrupted). */
        BILL_UNREADABLE,
        /** WeChat's login service (jscode2session) failed, was busy or timed out. */
        LOGIN_UNAVAILABLE,
        /** Concurrent requests kept changing the order under this one. */
        WRITE_CONTENTION,
        /** The order store failed or could not be reached. */
        STORE_UNAVAILABLE
    }

    private final Kind kind;

    protected PaymentException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    protected PaymentException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
