package io.wxpayfn.order;

/** The one errcode table of every function's envelope; 5xxxx codes are worth retrying with the same request. */
public enum ErrorCode {
    OK(0),
    INVALID_REQUEST(40001),
    UNAUTHENTICATED(40101),
    LOGIN_FAILED(40102),
    FORBIDDEN(40301),
    REFUND_NOT_ALLOWED(40302),
    NOT_FOUND(40401),
    STATE_CONFLICT(40901),
    IDEMPOTENCY_CONFLICT(40902),
    REFUND_LIMIT_EXCEEDED(42201),
    NOTIFICATION_REJECTED(40031),
    INTERNAL(50001),
    WECHATPAY_REJECTED(50201),
    WECHATPAY_UNAVAILABLE(50301),
    STORE_UNAVAILABLE(50302);

    private final int errcode;

    ErrorCode(int errcode) {
        this.errcode = errcode;
    }

    public int errcode() {
        return errcode;
    }

    public boolean retryable() {
        return errcode >= 50000 && this != WECHATPAY_REJECTED;
    }
}
