package io.wxpayfn.order;

import java.time.Instant;

/**
 * What WeChat Pay says about one refund, from a notification or a query, already verified by the gateway. A
 * partner refund's {@code mchid} is the provider's sp_mchid and {@code subMchid} the sub-merchant's (null for a
 * direct merchant's refund).
 */
public record RefundSnapshot(
        String mchid,
        String outTradeNo,
        String transactionId,
        String outRefundNo,
        String refundId,
        RefundStatus status,
        long refund,
        long total,
        Instant successTime,
        String subMchid) {}
