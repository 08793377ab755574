package io.wxpayfn.order;

import java.util.Optional;

/**
 * The port to WeChat Pay, for direct and partner orders alike: an order with a sub-merchant is handled through the
 * service-provider API under its sub_mchid. Every method throws {@link WeChatPayUnavailableException} when WeChat Pay fails or
 * times out (retry the same call) and {@link WeChatPayRejectedException} when it refuses the request.
 */
public interface PaymentGateway {

    /** JSAPI prepay for the order (idempotent at WeChat Pay for the same out_trade_no and content). */
    PaymentRequest prepay(Order order);

    /** The payment as WeChat Pay sees it (asked by out_trade_no); empty when WeChat Pay has no such order. */
    Optional<PaymentSnapshot> queryPayment(Order order);

    /**
     * The payment WeChat Pay holds under this transaction_id for the order's merchant (sub-merchant); empty when it
     * holds none. Answers whatever order that transaction paid, which need not be {@code order}.
     */
    Optional<PaymentSnapshot> queryPaymentByTransactionId(Order order, String transactionId);

    /** Closes an unpaid order at WeChat Pay; rejected with ORDERPAID when it was paid meanwhile. */
    void close(Order order);

    /** Applies for the refund (idempotent at WeChat Pay for the same out_refund_no). */
    RefundSnapshot refund(Order order, Refund refund);

    /** The refund of the order as WeChat Pay sees it; empty when WeChat Pay has no such refund. */
    Optional<RefundSnapshot> queryRefund(Order order, String outRefundNo);
}
