package io.wxpayfn.order;

import java.time.Instant;

/** WeChat Pay's word on a direct merchant's payment or refund (no sub-merchant), as the tests write it. */
public final class DirectSnapshots {

    private DirectSnapshots() {}

    public static PaymentSnapshot payment(
            String appid,
            String mchid,
            String outTradeNo,
            String transactionId,
            String tradeState,
            Long total,
            Long payerTotal,
            String payerOpenid,
            Instant successTime) {
        return new PaymentSnapshot(
                appid, mchid, outTradeNo, transactionId, tradeState, total, payerTotal, payerOpenid, successTime, null);
    }

    public static RefundSnapshot refund(
            String mchid,
            String outTradeNo,
            String transactionId,
            String outRefundNo,
            String refundId,
            RefundStatus status,
            long refund,
            long total,
            Instant successTime) {
        return new RefundSnapshot(
                mchid, outTradeNo, transactionId, outRefundNo, refundId, status, refund, total, successTime, null);
    }
}
