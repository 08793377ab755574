package io.wxpayfn.order;

/** The life of an order, mirrored from WeChat Pay's trade and refund states. */
public enum OrderStatus {
    /** Stored, payable, not paid yet. */
    NOTPAY(1),
    /** Paid, nothing refunded. */
    PAID(2),
    /** At least one refund is in flight at WeChat Pay. */
    REFUNDING(3),
    /** Paid, part of it refunded, no refund in flight. */
    PARTIALLY_REFUNDED(2),
    /** Everything paid has been refunded. */
    REFUNDED(4),
    /** Closed unpaid: no payment can arrive any more. */
    CLOSED(5),
    /** WeChat Pay reported the payment failed. */
    PAYERROR(6);

    private final int payStatus;

    OrderStatus(int payStatus) {
        this.payStatus = payStatus;
    }

    /** The numeric status older mini-program code expects: 1 unpaid, 2 paid, 3 refunding, 4 refunded, 5 closed, 6 failed. */
    public int payStatus() {
        return payStatus;
    }

    /** True while money has been taken and not all of it given back. */
    public boolean isPaid() {
        return this == PAID || this == REFUNDING || this == PARTIALLY_REFUNDED;
    }

    /** True when WeChat Pay took a payment for the order, whatever was refunded since. */
    public boolean holdsPayment() {
        return isPaid() || this == REFUNDED;
    }
}
