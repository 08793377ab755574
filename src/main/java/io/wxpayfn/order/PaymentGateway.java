package io.wxpayfn.order;

import java.util.Optional;

/**
 * The port to WeChat Pay. Every method throws {@link WeChatPayUnavailableException} when WeChat Pay fails or
 * times out (retry the same call) and {@link WeChatPayRejectedException} when it refuses the request.
 */
public interface PaymentGateway {

    /** JSAPI prepay for the order (idempotent at WeChat Pay for the same out_trade_no and content). */
    PaymentRequest prepay(Order order);

    /** The payment as WeChat Pay sees it; empty when WeChat Pay has no such order. */
    Optional<PaymentSnapshot> queryPayment(String outTradeNo);

    /** Closes an unpaid order at WeChat Pay; rejected with ORDERPAID when it was paid meanwhile. */
    void close(String outTradeNo);

    /** Applies for the refund (idempotent at WeChat Pay for the same out_refund_no). */
    RefundSnapshot refund(Order order, Refund refund);

    /** The refund as WeChat Pay sees it; empty when WeChat Pay has no such refund. */
    Optional<RefundSnapshot> queryRefund(String outRefundNo);
}
