package io.wxpayfn.function;

import io.wxpayfn.order.PaymentException;

/**
 * The one errcode table of every function's envelope, and the one place a domain failure's kind becomes an errcode.
 * 4xxxx: the caller's to fix, do not retry as is. 5xxxx: retry the same request, except WECHATPAY_REJECTED.
 */
public enum ErrorCode {
    OK(0),
    INVALID_REQUEST(40001),
    NOTIFICATION_REJECTED(40031),
    UNAUTHENTICATED(40101),
    LOGIN_FAILED(40102),
    FORBIDDEN(40301),
    REFUND_NOT_ALLOWED(40302),
    NOT_FOUND(40401),
    STATE_CONFLICT(40901),
    IDEMPOTENCY_CONFLICT(40902),
    REFUND_LIMIT_EXCEEDED(42201),
    INTERNAL(50001),
    WECHATPAY_REJECTED(50201),
    BILL_UNREADABLE(50202),
    WECHATPAY_UNAVAILABLE(50301),
    STORE_UNAVAILABLE(50302),
    LOGIN_UNAVAILABLE(50303),
    WRITE_CONTENTION(50304);

    private final int errcode;

    ErrorCode(int errcode) {
        this.errcode = errcode;
    }

    public int errcode() {
        return errcode;
    }

    /** The errcode of a domain failure; a new kind does not compile until it is given one here. */
    static ErrorCode of(PaymentException failure) {
        return switch (failure.kind()) {
            case INVALID_REQUEST -> INVALID_REQUEST;
            case UNAUTHENTICATED -> UNAUTHENTICATED;
            case LOGIN_REFUSED -> LOGIN_FAILED;
            case FORBIDDEN -> FORBIDDEN;
            case REFUND_NOT_ALLOWED -> REFUND_NOT_ALLOWED;
            case NOT_FOUND -> NOT_FOUND;
            case STATE_CONFLICT -> STATE_CONFLICT;
            case IDEMPOTENCY_CONFLICT -> IDEMPOTENCY_CONFLICT;
            case REFUND_LIMIT_EXCEEDED -> REFUND_LIMIT_EXCEEDED;
            case NOTIFICATION_REJECTED -> NOTIFICATION_REJECTED;
            case WECHATPAY_REJECTED -> WECHATPAY_REJECTED;
            case WECHATPAY_UNAVAILABLE -> WECHATPAY_UNAVAILABLE;
            case BILL_UNREADABLE -> BILL_UNREADABLE;
            case LOGIN_UNAVAILABLE -> LOGIN_UNAVAILABLE;
            case WRITE_CONTENTION -> WRITE_CONTENTION;
            case STORE_UNAVAILABLE -> STORE_UNAVAILABLE;
        };
    }

    /** A failure worth retrying with the same request, rather than a refusal to fix. */
    boolean isFailure() {
        return errcode >= 50000;
    }
}
