package io.wxpayfn.order;

/** Base of every refusal or failure that reaches a caller as a non-zero errcode. */
public abstract class PaymentException extends RuntimeException {

    private final ErrorCode code;

    protected PaymentException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    protected PaymentException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
