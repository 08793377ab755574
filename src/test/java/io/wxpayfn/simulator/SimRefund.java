package io.wxpayfn.simulator;

import java.time.OffsetDateTime;

/** The simulator's truth about one refund (an immutable snapshot). Amounts in fen. */
public record SimRefund(
        String refundId,
        String outRefundNo,
        String outTradeNo,
        String transactionId,
        String reason,
        String notifyUrl,
        long refund,
        long total,
        String currency,
        RefundStatus status,
        OffsetDateTime createTime,
        OffsetDateTime successTime) {

    static final String USER_RECEIVED_ACCOUNT = "支付用户零钱";

    SimRefund withStatus(RefundStatus newStatus, OffsetDateTime at) {
        return new SimRefund(
                refundId,
                outRefundNo,
                outTradeNo,
                transactionId,
                reason,
                notifyUrl,
                refund,
                total,
                currency,
                newStatus,
                createTime,
                newStatus == RefundStatus.SUCCESS ? at : null);
    }

    SimRefund withSuccessTime(OffsetDateTime newSuccessTime) {
        return new SimRefund(
                refundId,
                outRefundNo,
                outTradeNo,
                transactionId,
                reason,
                notifyUrl,
                refund,
                total,
                currency,
                status,
                createTime,
                newSuccessTime);
    }

    /** A refund that has not been closed keeps its amount out of what may still be refunded. */
    boolean holdsAmount() {
        return status != RefundStatus.CLOSED;
    }
}
