package io.wxpayfn.order;

import java.time.Instant;

/**
 * What WeChat Pay says about one payment, from a notification or a query, already verified by the gateway.
 * {@code tradeState} is WeChat's: SUCCESS, REFUND, NOTPAY, CLOSED, REVOKED, USERPAYING, PAYERROR. A partner
 * payment's {@code appid} and {@code mchid} are the provider's sp_appid and sp_mchid, {@code subMerchant} names
 * its sub_mchid and sub_appid (null for a direct payment), and {@code payerOpenid} is the payer's sub_openid when
 * it names a sub_appid, else its sp_openid: the openid under the appid the payment was made in.
 */
public record PaymentSnapshot(
        String appid,
        String mchid,
        String outTradeNo,
        String transactionId,
        String tradeState,
        Long total,
        Long payerTotal,
        String payerOpenid,
        Instant successTime,
        SubMerchant subMerchant) {

    public boolean isPaid() {
        return "SUCCESS".equals(tradeState) || "REFUND".equals(tradeState);
    }

    public String subMchid() {
        return subMerchant == null ? null : subMerchant.subMchid();
    }

    public String subAppid() {
        return subMerchant == null ? null : subMerchant.subAppid();
    }
}
