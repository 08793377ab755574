package io.wxpayfn.order;

/** A refund's state: WeChat Pay's four, plus REJECTED when WeChat Pay refused the application. */
public enum RefundStatus {
    /** Applied for (or about to be); the money is reserved against the order. */
    PROCESSING,
    /** The money reached the payer. */
    SUCCESS,
    /** WeChat Pay could not return the money (e.g. a cancelled card); it stays reserved until handled. */
    ABNORMAL,
    /** WeChat Pay closed the refund without paying it out. */
    CLOSED,
    /** WeChat Pay refused the application outright; nothing was or will be refunded. */
    REJECTED;

    /** True when WeChat Pay can no longer change this refund. */
    public boolean isFinal() {
        return this == SUCCESS || this == CLOSED || this == REJECTED;
    }

    /** True when the refund's amount counts against what may still be refunded. */
    public boolean reservesAmount() {
        return this == PROCESSING || this == SUCCESS || this == ABNORMAL;
    }
}
