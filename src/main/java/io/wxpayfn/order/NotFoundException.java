package io.wxpayfn.order;

/** Thrown when no order or refund has the given number. */
public class NotFoundException extends PaymentException {

    public NotFoundException(String message) {
        super(Kind.NOT_FOUND, message);
    }
}
