package io.wxpayfn.reconcile;

import io.wxpayfn.order.ErrorCode;
import io.wxpayfn.order.PaymentException;

/** Thrown when a trade bill from WeChat Pay cannot be read; the message names the line and the problem. */
public class BillFormatException extends PaymentException {

    private final int lineNumber;

    public BillFormatException(int lineNumber, String problem) {
        // Retryable: a truncated or corrupted download is the likely cause, and downloading again may cure it.
        super(ErrorCode.WECHATPAY_UNAVAILABLE, "trade bill line " + lineNumber + ": " + problem);
        this.lineNumber = lineNumber;
    }

    /** The 1-based line of the bill file that is wrong. */
    public int lineNumber() {
        return lineNumber;
    }
}
