package io.wxpayfn.order;

/** Thrown when the order's current state does not allow the operation (e.g. refunding an unpaid order). */
public class StateConflictException extends PaymentException {

    public StateConflictException(String message) {
        super(Kind.STATE_CONFLICT, message);
    }
}
