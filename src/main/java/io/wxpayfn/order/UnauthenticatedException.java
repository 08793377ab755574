package io.wxpayfn.order;

/** Thrown when a call carries no session, or one that is forged or expired. */
public class UnauthenticatedException extends PaymentException {

    public UnauthenticatedException(String message) {
        super(Kind.UNAUTHENTICATED, message);
    }
}
