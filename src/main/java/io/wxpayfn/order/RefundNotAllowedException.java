package io.wxpayfn.order;

/** Thrown when an owner's refund falls outside the configured refund policy. */
public class RefundNotAllowedException extends PaymentException {

    public RefundNotAllowedException(String message) {
        super(Kind.REFUND_NOT_ALLOWED, message);
    }
}
