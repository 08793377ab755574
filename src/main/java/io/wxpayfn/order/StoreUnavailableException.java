package io.wxpayfn.order;

/** Thrown when the order store cannot be reached or fails mid-operation; nothing was acknowledged. */
public class StoreUnavailableException extends PaymentException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(Kind.STORE_UNAVAILABLE, message, cause);
    }
}
