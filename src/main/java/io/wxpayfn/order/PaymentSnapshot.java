package io.wxpayfn.order;

import java.time.Instant;

/**
 * What WeChat Pay says about one payment, from a notification or a query, already verified by the gateway.
 * {@code tradeState} is WeChat's: SUCCESS, REFUND, NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR.
 */
public record PaymentSnapshot(String appid, String mchid, String outTradeNo, String transactionId, String tradeState,
                              Long total, Long payerTotal, String payerOpenid, Instant successTime) {

    public boolean isPaid() {
        return "SUCCESS".equals(tradeState) || "REFUND".equals(tradeState);
    }
}
