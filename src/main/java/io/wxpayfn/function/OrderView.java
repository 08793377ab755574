package io.wxpayfn.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderItem;
import io.wxpayfn.order.Refund;
import java.time.Instant;
import java.util.List;

/**
 * An order as callers see it: amounts in fen, no internal bookkeeping (notification ids, versions); in partner mode
 * the sub-merchant it is paid to ({@code subMchid}, absent for a direct merchant's order).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderView(
        String outTradeNo,
        String status,
        int payStatus,
        long total,
        long refundedTotal,
        long refundable,
        String description,
        List<OrderItem> items,
        String transactionId,
        Instant createdAt,
        Instant expiresAt,
        Instant paidAt,
        List<RefundView> refunds,
        String subMchid) {

    public static OrderView of(Order order) {
        return new OrderView(
                order.outTradeNo(),
                order.status().name(),
                order.status().payStatus(),
                order.total(),
                order.refundedTotal(),
                order.refundableRemainder(),
                order.description(),
                order.items(),
                order.transactionId(),
                order.createdAt(),
                order.expiresAt(),
                order.paidAt(),
                order.refunds().stream().map(RefundView::of).toList(),
                order.subMchid());
    }

    /** One refund as callers see it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RefundView(
            String outRefundNo,
            long amount,
            String status,
            String refundId,
            String reason,
            String failure,
            Instant createdAt,
            Instant updatedAt) {

        static RefundView of(Refund refund) {
            return new RefundView(
                    refund.outRefundNo(),
                    refund.amount(),
                    refund.status().name(),
                    refund.refundId(),
                    refund.reason(),
                    refund.failure(),
                    refund.createdAt(),
                    refund.updatedAt());
        }
    }
}
