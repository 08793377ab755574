package io.wxpayfn.order;

/** Thrown when a refund would exceed what remains refundable, or the 50-refund limit. */
public class RefundLimitExceededException extends PaymentException {

    public RefundLimitExceededException(String message) {
        super(Kind.REFUND_LIMIT_EXCEEDED, message);
    }
}
