package io.wxpayfn.order;

import java.time.Instant;

/** What WeChat Pay says about one refund, from a notification or a query, already verified by the gateway. */
public record RefundSnapshot(String mchid, String outTradeNo, String transactionId, String outRefundNo, String refundId,
                             RefundStatus status, long refund, long total, Instant successTime) {
}
