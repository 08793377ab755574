package io.wxpayfn.reconcile;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One line of WeChat Pay's trade bill, in the bill's column order. Amounts are fen, converted exactly from the
 * bill's yuan; the fee keeps its own precision (five decimals of yuan). An id WeChat writes as "0" or leaves
 * empty is null. {@code lineNumber} is the line of the bill file it came from.
 */
public record TradeBillRow(
        int lineNumber,
        Instant tradeTime,
        String appid,
        String mchid,
        String subMchid,
        String deviceInfo,
        String transactionId,
        String outTradeNo,
        String openid,
        String tradeType,
        String tradeState,
        String bankType,
        String currency,
        long settlementTotal,
        long couponAmount,
        String refundId,
        String outRefundNo,
        long refundAmount,
        long rechargeCouponRefund,
        String refundType,
        String refundStatus,
        String goodsName,
        String attach,
        BigDecimal fee,
        String feeRate,
        long orderTotal,
        long requestedRefund,
        String feeRateNote) {

    /** True for a refund line (trade state REFUND, naming an out_refund_no); false for a payment line. */
    public boolean isRefund() {
        return outRefundNo != null || "REFUND".equals(tradeState);
    }
}
