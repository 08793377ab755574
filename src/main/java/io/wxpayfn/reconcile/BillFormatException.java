package io.wxpayfn.reconcile;

import io.wxpayfn.order.PaymentException;

/** Thrown when a trade bill from WeChat Pay cannot be read; the message names the line and the problem. */
public class BillFormatException extends PaymentException {

    private final int lineNumber;

    public BillFormatException(int lineNumber, String problem) {
        super(Kind.BILL_UNREADABLE, "trade bill line " + lineNumber + ": " + problem);
        this.lineNumber = lineNumber;
    }

    /** The 1-based line of the bill file that is wrong. */
    public int lineNumber() {
        return lineNumber;
    }
}
