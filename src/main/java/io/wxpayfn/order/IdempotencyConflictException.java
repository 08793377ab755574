package io.wxpayfn.order;

/** Thrown when an idempotency key is reused for a different request. */
public class IdempotencyConflictException extends PaymentException {

    public IdempotencyConflictException(String message) {
        super(Kind.IDEMPOTENCY_CONFLICT, message);
    }
}
