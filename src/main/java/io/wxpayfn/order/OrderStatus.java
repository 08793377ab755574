package io.wxpayfn.order;

/** The life of an order, mirrored from WeChat Pay's trade and refund states. */
public enum OrderStatus {
    /** Stored, payable, not paid yet. */
    NOTPAY(1, false),
    /** Paid, nothing refunded. */
    PAID(2, false),
    /** At least one refund is in flight at WeChat Pay. */
    REFUNDING(3, false),
    /** Paid, part of it refunded, no refund in flight. */
    PARTIALLY_REFUNDED(2, false),
    /** Everything paid has been refunded. */
    REFUNDED(4, true),
    /** Closed unpaid: no payment can arrive any more. */
    CLOSED(5, true),
    /** WeChat Pay reported the payment failed. */
    PAYERROR(6, true);

    private final int payStatus;
    private final boolean terminal;

    OrderStatus(int payStatus, boolean terminal) {
        this.payStatus = payStatus;
        this.terminal = terminal;
    }

    /** The numeric status older mini-program code expects: 1 unpaid, 2 paid, 3 refunding, 4 refunded, 5 closed, 6 failed. */
    public int payStatus() {
        return payStatus;
    }

    /** True when no event can change this order any more. */
    public boolean isTerminal() {
        return terminal;
    }

    /** True while money has been taken and not all of it given back. */
    public boolean isPaid() {
        return this == PAID || this == REFUNDING || this == PARTIALLY_REFUNDED;
    }
}
