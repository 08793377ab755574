package io.wxpayfn.order;

/** Thrown when an owner's refund falls outside the refund policy, or any refund of a payment past the refund period. */
public class RefundNotAllowedException extends PaymentException {

    public RefundNotAllowedException(String message) {
        super(Kind.REFUND_NOT_ALLOWED, message);
    }
}
