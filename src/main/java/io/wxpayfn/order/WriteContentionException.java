package io.wxpayfn.order;

/** Thrown when concurrent changes to one order kept winning the conditional write; nothing of this one was written. */
public class WriteContentionException extends PaymentException {

    public WriteContentionException(String message) {
        super(Kind.WRITE_CONTENTION, message);
    }
}
