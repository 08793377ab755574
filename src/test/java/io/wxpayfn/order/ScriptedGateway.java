package io.wxpayfn.order;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A PaymentGateway answering what a test scripted: every prepay and refund application is accepted (a refund as
 * PROCESSING, with WeChat Pay's refund id) unless a refusal is scripted; queries answer the scripted snapshot or
 * nothing. Records each call, so a test can prove WeChat Pay was (not) asked. Safe to call from many threads.
 */
final class ScriptedGateway implements PaymentGateway {

    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, PaymentSnapshot> payments = new ConcurrentHashMap<>();
    private volatile WeChatPayRejectedException closeRefusal;

    /** queryPayment of this order answers {@code payment} from now on. */
    void answerPayment(PaymentSnapshot payment) {
        payments.put(payment.outTradeNo(), payment);
    }

    /** close is refused with this WeChat Pay code from now on. */
    void refuseClose(String wechatCode) {
        closeRefusal = new WeChatPayRejectedException(wechatCode, "scripted refusal " + wechatCode);
    }

    /** The calls made of one kind (prepay, queryPayment, close, refund, queryRefund), each as "kind outTradeNo". */
    List<String> calls(String kind) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.startsWith(kind + " ")).toList();
        }
    }

    @Override
    public PaymentRequest prepay(Order order) {
        calls.add("prepay " + order.outTradeNo());
        return new PaymentRequest(
                "wx-prepay-" + order.outTradeNo(),
                order.payerAppid(),
                "1700000000",
                "nonce",
                "prepay_id=wx-prepay-" + order.outTradeNo(),
                "RSA",
                "signature");
    }

    @Override
    public Optional<PaymentSnapshot> queryPayment(Order order) {
        calls.add("queryPayment " + order.outTradeNo());
        return Optional.ofNullable(payments.get(order.outTradeNo()));
    }

    @Override
    public Optional<PaymentSnapshot> queryPaymentByTransactionId(Order order, String transactionId) {
        calls.add("queryPaymentByTransactionId " + order.outTradeNo());
        return Optional.ofNullable(payments.get(order.outTradeNo()))
                .filter(p -> transactionId.equals(p.transactionId()));
    }

    @Override
    public void close(Order order) {
        calls.add("close " + order.outTradeNo());
        if (closeRefusal != null) {
            throw closeRefusal;
        }
    }

    @Override
    public RefundSnapshot refund(Order order, Refund refund) {
        calls.add("refund " + order.outTradeNo() + " " + refund.outRefundNo() + " " + refund.amount());
        return DirectSnapshots.refund(
                order.mchid(),
                order.outTradeNo(),
                order.transactionId(),
                refund.outRefundNo(),
                "50300" + refund.outRefundNo(),
                RefundStatus.PROCESSING,
                refund.amount(),
                order.total(),
                null);
    }

    @Override
    public Optional<RefundSnapshot> queryRefund(Order order, String outRefundNo) {
        calls.add("queryRefund " + order.outTradeNo() + " " + outRefundNo);
        return Optional.empty();
    }
}
