package io.wxpayfn.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.wxpayfn.order.WeChatPayRules;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Orders and refunds with WeChat Pay's business rules. Every method is synchronized: each call is
 * one atomic state change, so concurrent API calls and simulated payments cannot interleave.
 */
final class TransactionBook {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter PREPAY_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Map<String, SimTransaction> byOutTradeNo = new LinkedHashMap<>();
    private final Map<String, JsonNode> prepayRequests = new HashMap<>();
    private final Map<String, SimRefund> byOutRefundNo = new LinkedHashMap<>();
    private final Clock clock;

    TransactionBook(Clock clock) {
        this.clock = clock;
    }

    /** WeChat Pay's business time, in China Standard Time, to the second (as its APIs show it). */
    OffsetDateTime now() {
        return OffsetDateTime.now(clock.withZone(SHANGHAI)).truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * Creates the order, or answers the same prepay_id when the identical request is sent again (as
     * WeChat Pay does for a retried prepay).
     */
    synchronized SimTransaction prepay(SimTransaction draft, JsonNode request) {
        SimTransaction existing = byOutTradeNo.get(draft.outTradeNo());
        if (existing == null) {
            String prepayId = "wx" + draft.createTime().format(PREPAY_TIME)
                    + SimCrypto.randomHex(20).toLowerCase();
            SimTransaction created = draft.withPrepayId(prepayId);
            byOutTradeNo.put(created.outTradeNo(), created);
            prepayRequests.put(created.outTradeNo(), request);
            return created;
        }
        if (existing.state().paid()) {
            throw WeChatCodes.orderPaid();
        }
        if (existing.state() == TradeState.CLOSED) {
            throw new ApiError(400, "ORDER_CLOSED", "该订单已关闭");
        }
        if (!prepayRequests.get(existing.outTradeNo()).equals(request)) {
            throw new ApiError(403, "OUT_TRADE_NO_USED", "商户订单号重复");
        }
        return existing;
    }

    synchronized Optional<SimTransaction> transaction(String outTradeNo) {
        return Optional.ofNullable(byOutTradeNo.get(outTradeNo));
    }

    synchronized Optional<SimTransaction> transactionById(String transactionId) {
        return byOutTradeNo.values().stream()
                .filter(t -> transactionId.equals(t.transactionId()))
                .findFirst();
    }

    synchronized Optional<SimTransaction> transactionByPrepayId(String prepayId) {
        return byOutTradeNo.values().stream()
                .filter(t -> prepayId.equals(t.prepayId()))
                .findFirst();
    }

    synchronized List<SimTransaction> transactions() {
        return List.copyOf(byOutTradeNo.values());
    }

    /** {@code subMchid}: the sub-merchant the partner close names, null for the direct API. */
    synchronized void close(String outTradeNo, String subMchid) {
        SimTransaction order = require(outTradeNo, subMchid);
        if (order.state().paid()) {
            throw WeChatCodes.orderPaid();
        }
        byOutTradeNo.put(outTradeNo, order.withState(TradeState.CLOSED)); // closing twice is harmless
    }

    /**
     * The user pays. {@code ignoreExpiry} lets a test reproduce the race where a payment completes
     * although the merchant already considers the order expired.
     */
    synchronized SimTransaction pay(String outTradeNo, boolean ignoreExpiry) {
        SimTransaction order = require(outTradeNo);
        OffsetDateTime now = now();
        if (!order.state().payable()) {
            throw new IllegalStateException("order " + outTradeNo + " cannot be paid in state " + order.state());
        }
        if (!ignoreExpiry && order.expiredAt(now)) {
            throw new IllegalStateException("order " + outTradeNo + " expired at " + order.timeExpire());
        }
        SimTransaction paid = order.paid("4200" + SimCrypto.randomDigits(24), now);
        byOutTradeNo.put(outTradeNo, paid);
        return paid;
    }

    synchronized SimTransaction setState(String outTradeNo, TradeState state) {
        SimTransaction changed = require(outTradeNo).withState(state);
        byOutTradeNo.put(outTradeNo, changed);
        return changed;
    }

    synchronized SimTransaction setSuccessTime(String outTradeNo, OffsetDateTime successTime) {
        SimTransaction changed = require(outTradeNo).withSuccessTime(successTime);
        byOutTradeNo.put(outTradeNo, changed);
        return changed;
    }

    /** Result of a refund application: {@code started} is false when an existing refund was returned. */
    record RefundApplication(SimRefund refund, boolean started) {}

    /**
     * Applies for a refund of the order named by out_trade_no or transaction_id, which must be one of
     * {@code subMchid}'s (the partner request's sub_mchid; null: a direct order).
     */
    synchronized RefundApplication applyRefund(SimRefund draft, String transactionId, String subMchid) {
        SimTransaction order = refundedOrder(draft, transactionId, subMchid);
        SimRefund existing = byOutRefundNo.get(draft.outRefundNo());
        if (existing != null) {
            if (!existing.outTradeNo().equals(order.outTradeNo()) || existing.refund() != draft.refund()) {
                throw ApiError.invalidRequest("商户退款单号已被使用，且退款参数与原请求不一致");
            }
            // WeChat Pay, 申请退款 (APIv3 /v3/refund/domestic/refunds), out_refund_no: "同一退款单号多次请求只退一笔"
            // - the same number always answers the one existing refund, whatever its status. An ABNORMAL refund is
            // not paid out again by applying again: its money waits in WeChat Pay's refund account until the
            // merchant handles it on the merchant platform (交易中心) or through 发起异常退款
            // (POST /v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund); see handleAbnormal.
            return new RefundApplication(existing, false);
        }
        if (!order.state().paid()) {
            throw ApiError.invalidRequest("订单状态不允许退款: " + order.state());
        }
        if (order.successTime() != null
                && order.successTime().plus(WeChatPayRules.REFUND_PERIOD).isBefore(now())) {
            throw WeChatCodes.refundPeriodPassed();
        }
        if (draft.total() != order.total()) {
            throw ApiError.invalidRequest("订单金额与原订单金额不一致");
        }
        List<SimRefund> previous = refundsOf(order.outTradeNo());
        if (previous.size() >= WeChatPayRules.MAX_REFUNDS_PER_ORDER) {
            throw WeChatCodes.refundCountExceeded();
        }
        long held = previous.stream()
                .filter(SimRefund::holdsAmount)
                .mapToLong(SimRefund::refund)
                .sum();
        if (draft.refund() > order.total() - held) {
            throw new ApiError(403, "NOT_ENOUGH", "申请退款金额超过订单可退金额");
        }
        SimRefund created = new SimRefund(
                "50" + SimCrypto.randomDigits(27),
                draft.outRefundNo(),
                order.outTradeNo(),
                order.transactionId(),
                draft.reason(),
                draft.notifyUrl(),
                draft.refund(),
                draft.total(),
                draft.currency(),
                RefundStatus.PROCESSING,
                now(),
                null);
        byOutRefundNo.put(created.outRefundNo(), created);
        byOutTradeNo.put(order.outTradeNo(), order.withState(TradeState.REFUND));
        return new RefundApplication(created, true);
    }

    /** An application refused by fault injection, kept so that a test can make WeChat Pay book it anyway. */
    private final Map<String, SimRefund> refusedApplications = new HashMap<>();

    synchronized void recordRefusedRefund(SimRefund draft, String transactionId, String subMchid) {
        SimTransaction order = refundedOrder(draft, transactionId, subMchid);
        refusedApplications.put(
                draft.outRefundNo(),
                new SimRefund(
                        "50" + SimCrypto.randomDigits(27),
                        draft.outRefundNo(),
                        order.outTradeNo(),
                        order.transactionId(),
                        draft.reason(),
                        draft.notifyUrl(),
                        draft.refund(),
                        draft.total(),
                        draft.currency(),
                        RefundStatus.PROCESSING,
                        now(),
                        null));
    }

    /**
     * Books a refund whose application was refused as if WeChat Pay had accepted it after all, ended in
     * {@code status}: WeChat Pay's word contradicting its own refusal, which a merchant must survive. No
     * limit is checked, on purpose.
     */
    synchronized SimRefund settleRefused(String outRefundNo, RefundStatus status) {
        SimRefund refused = refusedApplications.remove(outRefundNo);
        if (refused == null) {
            throw new IllegalStateException("no refused application for " + outRefundNo);
        }
        SimRefund booked = refused.withStatus(status, now());
        byOutRefundNo.put(outRefundNo, booked);
        byOutTradeNo.computeIfPresent(booked.outTradeNo(), (no, t) -> t.withState(TradeState.REFUND));
        return booked;
    }

    /**
     * The merchant handles an ABNORMAL refund on the merchant platform (or through 发起异常退款): it ends
     * SUCCESS (paid to the user's card) or CLOSED. Empty when the refund is not ABNORMAL.
     */
    synchronized Optional<SimRefund> handleAbnormal(String outRefundNo, RefundStatus status) {
        if (status != RefundStatus.SUCCESS && status != RefundStatus.CLOSED) {
            throw new IllegalArgumentException("an abnormal refund is handled to SUCCESS or CLOSED");
        }
        return move(outRefundNo, RefundStatus.ABNORMAL, status);
    }

    /** Ends a PROCESSING refund; answers empty if it already ended (a late timer, a second call). */
    synchronized Optional<SimRefund> completeRefund(String outRefundNo, RefundStatus status) {
        if (status == RefundStatus.PROCESSING) {
            throw new IllegalArgumentException("a refund is completed with a final status");
        }
        return move(outRefundNo, RefundStatus.PROCESSING, status);
    }

    private Optional<SimRefund> move(String outRefundNo, RefundStatus from, RefundStatus to) {
        SimRefund refund = requireRefund(outRefundNo);
        if (refund.status() != from) {
            return Optional.empty();
        }
        SimRefund done = refund.withStatus(to, now());
        byOutRefundNo.put(outRefundNo, done);
        return Optional.of(done);
    }

    synchronized SimRefund setRefundSuccessTime(String outRefundNo, OffsetDateTime successTime) {
        SimRefund changed = requireRefund(outRefundNo).withSuccessTime(successTime);
        byOutRefundNo.put(outRefundNo, changed);
        return changed;
    }

    synchronized Optional<SimRefund> refund(String outRefundNo) {
        return Optional.ofNullable(byOutRefundNo.get(outRefundNo));
    }

    synchronized List<SimRefund> refunds() {
        return List.copyOf(byOutRefundNo.values());
    }

    synchronized List<SimRefund> refundsOf(String outTradeNo) {
        List<SimRefund> result = new ArrayList<>();
        for (SimRefund refund : byOutRefundNo.values()) {
            if (refund.outTradeNo().equals(outTradeNo)) {
                result.add(refund);
            }
        }
        result.sort(Comparator.comparing(SimRefund::createTime));
        return result;
    }

    private SimTransaction refundedOrder(SimRefund draft, String transactionId, String subMchid) {
        SimTransaction order = draft.outTradeNo() != null
                ? byOutTradeNo.get(draft.outTradeNo())
                : transactionById(transactionId).orElse(null);
        if (order == null || !order.belongsTo(subMchid)) {
            throw WeChatCodes.refundedOrderNotExist();
        }
        return order;
    }

    /** The order, if the API family and sub-merchant of the request may see it (else not found). */
    private SimTransaction require(String outTradeNo, String subMchid) {
        SimTransaction order = require(outTradeNo);
        if (!order.belongsTo(subMchid)) {
            throw WeChatCodes.orderNotExist();
        }
        return order;
    }

    private SimTransaction require(String outTradeNo) {
        SimTransaction order = byOutTradeNo.get(outTradeNo);
        if (order == null) {
            throw WeChatCodes.orderNotExist();
        }
        return order;
    }

    private SimRefund requireRefund(String outRefundNo) {
        SimRefund refund = byOutRefundNo.get(outRefundNo);
        if (refund == null) {
            throw WeChatCodes.refundNotExist();
        }
        return refund;
    }
}
