package io.wxpayfn.reconcile;

import java.math.BigDecimal;

/** The summary line closing a trade bill; amounts in fen, the fee total in yuan at the bill's precision. */
public record TradeBillSummary(
        long tradeCount,
        long settlementTotal,
        long refundTotal,
        long rechargeCouponRefundTotal,
        BigDecimal feeTotal,
        long orderTotal,
        long requestedRefundTotal) {}
