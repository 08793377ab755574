package io.wxpayfn.reconcile;

import io.wxpayfn.order.Order;
import io.wxpayfn.order.PaymentGateway;
import io.wxpayfn.order.PaymentRequest;
import io.wxpayfn.order.PaymentSnapshot;
import io.wxpayfn.order.Refund;
import io.wxpayfn.order.RefundSnapshot;
import io.wxpayfn.order.RefundStatus;
import io.wxpayfn.order.WeChatPayRejectedException;
import io.wxpayfn.order.WeChatPayUnavailableException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * WeChat Pay's side of the books for unit tests: the truth about each trade and refund, changed by the test (a
 * payer pays, a bank settles a refund) without telling the store, as when notifications are lost.
 */
final class FakeWeChatPay implements PaymentGateway {

    record Trade(Order order, String state, String transactionId) {}

    record RefundTruth(
            String outTradeNo, String outRefundNo, String refundId, long amount, long total, RefundStatus status) {}

    private final Clock clock;
    private final Map<String, Trade> trades = new HashMap<>();
    private final Map<String, RefundTruth> refunds = new HashMap<>();
    private final Set<String> unavailableFor = new HashSet<>();
    private final Set<String> paidDuringClose = new HashSet<>();
    private final Set<String> refused = new HashSet<>();
    private int sequence;

    FakeWeChatPay(Clock clock) {
        this.clock = clock;
    }

    /** The payer pays; no notification reaches the store. */
    void pay(String outTradeNo) {
        Trade trade = trades.get(outTradeNo);
        trades.put(outTradeNo, new Trade(trade.order(), "SUCCESS", "4200" + outTradeNo));
    }

    /** The payer's payment lands in the same moment as the close: the close succeeds, then the trade shows paid. */
    void payDuringClose(String outTradeNo) {
        paidDuringClose.add(outTradeNo);
    }

    /** A refund reaches its end at the bank; no notification reaches the store. */
    void settleRefund(String outRefundNo, RefundStatus status) {
        RefundTruth truth = refunds.get(outRefundNo);
        refunds.put(
                outRefundNo,
                new RefundTruth(
                        truth.outTradeNo(), outRefundNo, truth.refundId(), truth.amount(), truth.total(), status));
    }

    /** A refund made on the merchant platform, never seen by the functions. */
    void refundOutside(String outTradeNo, String outRefundNo, long amount, RefundStatus status) {
        Trade trade = trades.get(outTradeNo);
        refunds.put(
                outRefundNo,
                new RefundTruth(
                        outTradeNo,
                        outRefundNo,
                        "5030" + outRefundNo,
                        amount,
                        trade.order().total(),
                        status));
    }

    /** The next application for this refund is refused (NOT_ENOUGH) and books nothing. */
    void refuseRefund(String outRefundNo) {
        refused.add(outRefundNo);
    }

    /** Every call about this order fails as an outage would, until {@link #recover}. */
    void failFor(String outTradeNo) {
        unavailableFor.add(outTradeNo);
    }

    void recover(String outTradeNo) {
        unavailableFor.remove(outTradeNo);
    }

    String tradeState(String outTradeNo) {
        return trades.get(outTradeNo).state();
    }

    RefundStatus refundStatus(String outRefundNo) {
        return refunds.get(outRefundNo).status();
    }

    PaymentSnapshot payment(String outTradeNo) {
        Trade trade = trades.get(outTradeNo);
        Order order = trade.order();
        boolean paid = trade.transactionId() != null;
        return new PaymentSnapshot(
                order.appid(),
                order.mchid(),
                outTradeNo,
                trade.transactionId(),
                trade.state(),
                order.total(),
                paid ? order.total() : null,
                paid ? order.openid() : null,
                paid ? clock.instant() : null,
                order.subMerchant());
    }

    @Override
    public PaymentRequest prepay(Order order) {
        available(order.outTradeNo());
        trades.putIfAbsent(order.outTradeNo(), new Trade(order, "NOTPAY", null));
        String prepayId = "wx" + (++sequence);
        return new PaymentRequest(prepayId, order.appid(), "0", "nonce", "prepay_id=" + prepayId, "RSA", "sig");
    }

    @Override
    public Optional<PaymentSnapshot> queryPayment(Order order) {
        String outTradeNo = order.outTradeNo();
        available(outTradeNo);
        return trades.containsKey(outTradeNo) ? Optional.of(payment(outTradeNo)) : Optional.empty();
    }

    @Override
    public Optional<PaymentSnapshot> queryPaymentByTransactionId(Order order, String transactionId) {
        available(order.outTradeNo());
        return trades.values().stream()
                .filter(t -> transactionId.equals(t.transactionId()))
                .findFirst()
                .map(t -> payment(t.order().outTradeNo()));
    }

    @Override
    public void close(Order order) {
        String outTradeNo = order.outTradeNo();
        available(outTradeNo);
        Trade trade = trades.get(outTradeNo);
        if (trade == null) {
            throw new WeChatPayRejectedException("ORDER_NOT_EXIST", "no such order");
        }
        if (trade.transactionId() != null) {
            throw new WeChatPayRejectedException("ORDERPAID", "order paid");
        }
        if (paidDuringClose.remove(outTradeNo)) {
            pay(outTradeNo);
            return;
        }
        trades.put(outTradeNo, new Trade(trade.order(), "CLOSED", null));
    }

    @Override
    public RefundSnapshot refund(Order order, Refund refund) {
        available(order.outTradeNo());
        if (refused.remove(refund.outRefundNo())) {
            throw new WeChatPayRejectedException("NOT_ENOUGH", "基本账户余额不足");
        }
        RefundTruth truth = refunds.computeIfAbsent(
                refund.outRefundNo(),
                no -> new RefundTruth(
                        order.outTradeNo(), no, "5030" + no, refund.amount(), order.total(), RefundStatus.PROCESSING));
        trades.computeIfPresent(order.outTradeNo(), (k, t) -> new Trade(t.order(), "REFUND", t.transactionId()));
        return snapshot(truth);
    }

    @Override
    public Optional<RefundSnapshot> queryRefund(Order order, String outRefundNo) {
        RefundTruth truth = refunds.get(outRefundNo);
        if (truth != null) {
            available(truth.outTradeNo());
        }
        return Optional.ofNullable(truth).map(this::snapshot);
    }

    private RefundSnapshot snapshot(RefundTruth truth) {
        Order order = trades.get(truth.outTradeNo()).order();
        return new RefundSnapshot(
                order.mchid(),
                truth.outTradeNo(),
                "4200" + truth.outTradeNo(),
                truth.outRefundNo(),
                truth.refundId(),
                truth.status(),
                truth.amount(),
                truth.total(),
                truth.status() == RefundStatus.SUCCESS ? clock.instant() : null,
                order.subMchid());
    }

    private void available(String outTradeNo) {
        if (unavailableFor.contains(outTradeNo)) {
            throw new WeChatPayUnavailableException("SYSTEM_ERROR for " + outTradeNo, null);
        }
    }
}
