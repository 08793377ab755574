package io.wxpayfn.order;

import java.time.Instant;

/**
 * One refund of an order. {@code refundId} is WeChat Pay's id, null until WeChat Pay has accepted the
 * application; {@code requestedBy} is "owner", "operator" or "wechatpay" (made outside these functions).
 */
public record Refund(
        String outRefundNo,
        long amount,
        RefundStatus status,
        String refundId,
        String reason,
        String requestedBy,
        String failure,
        Instant createdAt,
        Instant updatedAt) {

    Refund withStatus(RefundStatus newStatus, String newRefundId, String newFailure, Instant now) {
        return new Refund(
                outRefundNo,
                amount,
                newStatus,
                newRefundId == null ? refundId : newRefundId,
                reason,
                requestedBy,
                newFailure,
                createdAt,
                now);
    }
}
