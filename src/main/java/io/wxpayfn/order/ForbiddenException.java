package io.wxpayfn.order;

/** Thrown when the caller is neither the order's owner nor an operator. */
public class ForbiddenException extends PaymentException {

    public ForbiddenException(String message) {
        super(Kind.FORBIDDEN, message);
    }
}
