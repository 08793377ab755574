package io.wxpayfn.order;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One order document, immutable. Every transition returns the next version of the document (version + 1), or
 * empty when the event changes nothing, so that duplicates and replays are no-ops by construction. The store
 * writes a transition only if the stored version is still the one it was computed from. {@code syncedAt} is when a
 * reader last asked WeChat Pay about this order on its behalf (see {@link #claimSync}). {@code events} is the order's
 * outbox: every transition that matters to the shop appends its events in the same write ({@link OrderEvent}).
 *
 * <p>Direct mode: {@code appid} and {@code mchid} are the merchant's and {@code subMerchant} is null. Partner mode:
 * they are the service provider's sp_appid and sp_mchid, {@code subMerchant} is the sub-merchant paid (with the
 * sub_appid the order used), and {@code openid} is the payer's openid under {@link #payerAppid()}.
 */
public record Order(
        String outTradeNo,
        String appid,
        String mchid,
        SubMerchant subMerchant,
        String openid,
        String idempotencyKey,
        String description,
        List<OrderItem> items,
        long total,
        OrderStatus status,
        String prepayId,
        Instant expiresAt,
        String transactionId,
        Long payerTotal,
        Instant paidAt,
        List<Refund> refunds,
        List<String> appliedNotificationIds,
        Instant createdAt,
        Instant updatedAt,
        Instant syncedAt,
        long version,
        List<OrderEvent> events) {

    public Order {
        Objects.requireNonNull(outTradeNo, "outTradeNo");
        Objects.requireNonNull(status, "status");
        items = List.copyOf(items == null ? List.of() : items);
        refunds = List.copyOf(refunds == null ? List.of() : refunds);
        appliedNotificationIds = List.copyOf(appliedNotificationIds == null ? List.of() : appliedNotificationIds);
        events = List.copyOf(events == null ? List.of() : events);
    }

    /** A new unpaid order of a direct merchant, before its prepay id is known. */
    public static Order unpaid(
            String outTradeNo,
            String appid,
            String mchid,
            String openid,
            String idempotencyKey,
            String description,
            List<OrderItem> items,
            Instant expiresAt,
            Instant now) {
        return unpaid(outTradeNo, appid, mchid, null, openid, idempotencyKey, description, items, expiresAt, now);
    }

    /** A new unpaid order, before its prepay id is known; {@code subMerchant} null for a direct merchant's. */
    public static Order unpaid(
            String outTradeNo,
            String appid,
            String mchid,
            SubMerchant subMerchant,
            String openid,
            String idempotencyKey,
            String description,
            List<OrderItem> items,
            Instant expiresAt,
            Instant now) {
        long total = 0;
        for (OrderItem item : items) {
            total = Math.addExact(total, item.lineTotal());
        }
        return new Order(
                outTradeNo,
                appid,
                mchid,
                subMerchant,
                openid,
                idempotencyKey,
                description,
                items,
                total,
                OrderStatus.NOTPAY,
                null,
                expiresAt,
                null,
                null,
                null,
                List.of(),
                List.of(),
                now,
                now,
                null,
                0,
                List.of());
    }

    /** The appid the payer's openid belongs to: a partner order's sub_appid when it used one, else {@code appid}. */
    public String payerAppid() {
        return subMerchant == null ? appid : subMerchant.payerAppid(appid);
    }

    /** The sub-merchant's sub_mchid of a partner order; null for a direct merchant's order. */
    public String subMchid() {
        return subMerchant == null ? null : subMerchant.subMchid();
    }

    /** Sum of refunds WeChat Pay has paid out. */
    public long refundedTotal() {
        return refunds.stream()
                .filter(r -> r.status() == RefundStatus.SUCCESS)
                .mapToLong(Refund::amount)
                .sum();
    }

    /** What may still be refunded: the total less every refund that is paid out, in flight or abnormal. */
    public long refundableRemainder() {
        if (!status.isPaid()) {
            return 0;
        }
        return Math.max(0, total - reserved(refunds));
    }

    private static long reserved(List<Refund> refunds) {
        return refunds.stream()
                .filter(r -> r.status().reservesAmount())
                .mapToLong(Refund::amount)
                .sum();
    }

    public Optional<Refund> refund(String outRefundNo) {
        return refunds.stream().filter(r -> r.outRefundNo().equals(outRefundNo)).findFirst();
    }

    public boolean hasApplied(String notificationId) {
        return notificationId != null && appliedNotificationIds.contains(notificationId);
    }

    /** True while WeChat Pay may still change this order, so a reader should ask it. */
    public boolean awaitsWeChatPay() {
        return status == OrderStatus.NOTPAY
                || refunds.stream().anyMatch(r -> !r.status().isFinal());
    }

    /**
     * Claims the right to ask WeChat Pay about this order on a reader's behalf (queryOrder, queryRefund): empty when
     * another reader did so less than {@code interval} ago, so that however often and wherever an order is polled,
     * WeChat Pay is asked about it at most once per interval. Only the claim changes; updatedAt stays, since nothing
     * about the order itself did.
     */
    public Optional<Order> claimSync(Instant now, Duration interval) {
        if (syncedAt != null && now.isBefore(syncedAt.plus(interval))) {
            return Optional.empty();
        }
        return Optional.of(withBookkeeping(now, version + 1, events));
    }

    /** Records the prepay id WeChat Pay issued; only an unpaid order takes one. */
    public Optional<Order> withPrepay(String newPrepayId, Instant now) {
        if (status != OrderStatus.NOTPAY || newPrepayId.equals(prepayId)) {
            return Optional.empty();
        }
        return Optional.of(
                next(OrderStatus.NOTPAY, newPrepayId, transactionId, payerTotal, paidAt, refunds, null, now));
    }

    /** Closes an unpaid order after WeChat Pay has closed it. */
    public Optional<Order> close(Instant now) {
        if (status != OrderStatus.NOTPAY) {
            return Optional.empty();
        }
        return Optional.of(next(OrderStatus.CLOSED, prepayId, transactionId, payerTotal, paidAt, refunds, null, now));
    }

    /**
     * Applies WeChat Pay's word on the payment. A payment WeChat Pay took is applied even over a local CLOSED or
     * PAYERROR: WeChat Pay holds the money, so the store must say so.
     *
     * @throws NotificationMismatchException when the snapshot contradicts this order
     */
    public Optional<Order> applyPayment(PaymentSnapshot payment, String notificationId, Instant now) {
        requireComplete(payment);
        checkSameTrade(payment);
        if (hasApplied(notificationId)) {
            return Optional.empty();
        }
        if (payment.isPaid()) {
            if (status.isPaid() || status == OrderStatus.REFUNDED) {
                return Optional.empty();
            }
            // A success_time ahead of our clock would move the owner's refund window into the future: clamp it.
            Instant paid =
                    payment.successTime() == null || payment.successTime().isAfter(now) ? now : payment.successTime();
            return Optional.of(next(
                    OrderStatus.PAID,
                    prepayId,
                    payment.transactionId(),
                    payment.payerTotal(),
                    paid,
                    refunds,
                    notificationId,
                    now));
        }
        if (status != OrderStatus.NOTPAY) {
            return Optional.empty();
        }
        return switch (payment.tradeState()) {
            case "CLOSED", "REVOKED" ->
                Optional.of(next(
                        OrderStatus.CLOSED, prepayId, transactionId, payerTotal, paidAt, refunds, notificationId, now));
            case "PAYERROR" ->
                Optional.of(next(
                        OrderStatus.PAYERROR,
                        prepayId,
                        transactionId,
                        payerTotal,
                        paidAt,
                        refunds,
                        notificationId,
                        now));
            default -> Optional.empty();
        };
    }

    /**
     * Reserves a refund before WeChat Pay is asked for it, so a crash after the call still finds it.
     *
     * @throws StateConflictException when the order is not paid
     * @throws RefundNotAllowedException when it was paid more than {@link WeChatPayRules#REFUND_PERIOD} ago
     * @throws RefundLimitExceededException when the amount exceeds what remains, or {@link
     *     WeChatPayRules#MAX_REFUNDS_PER_ORDER} refunds exist
     */
    public Order requestRefund(String outRefundNo, long amount, String reason, String requestedBy, Instant now) {
        if (!status.isPaid()) {
            throw new StateConflictException(
                    "order " + outTradeNo + " is " + status + "; only a paid order can be refunded");
        }
        requireWithinRefundPeriod(now);
        if (refundableRemainder() == 0) {
            throw new RefundLimitExceededException("nothing remains refundable on order " + outTradeNo
                    + ": its refunds paid out, in flight or abnormal already reach the " + total + " fen total");
        }
        if (amount <= 0) {
            throw new InvalidRequestException("amount", "must be a positive number of fen");
        }
        if (amount > refundableRemainder()) {
            throw new RefundLimitExceededException("refund of " + amount + " fen exceeds the " + refundableRemainder()
                    + " fen that remain refundable on order " + outTradeNo);
        }
        if (refunds.size() >= WeChatPayRules.MAX_REFUNDS_PER_ORDER) {
            throw new RefundLimitExceededException("order " + outTradeNo + " already has "
                    + WeChatPayRules.MAX_REFUNDS_PER_ORDER + " refunds, the most WeChat Pay takes for one order");
        }
        List<Refund> withNew = new ArrayList<>(refunds);
        withNew.add(
                new Refund(outRefundNo, amount, RefundStatus.PROCESSING, null, reason, requestedBy, null, now, now));
        return next(statusFor(withNew), prepayId, transactionId, payerTotal, paidAt, withNew, null, now);
    }

    /**
     * WeChat Pay takes no refund of a payment made more than {@link WeChatPayRules#REFUND_PERIOD} ago, so one is
     * refused here, before it is reserved, rather than stored and then rejected by WeChat Pay. A paid order without
     * a payment time (none was reported) is left for WeChat Pay to judge.
     */
    private void requireWithinRefundPeriod(Instant now) {
        if (paidAt != null && paidAt.plus(WeChatPayRules.REFUND_PERIOD).isBefore(now)) {
            throw new RefundNotAllowedException("order " + outTradeNo + " was paid at " + paidAt + ", more than "
                    + WeChatPayRules.REFUND_PERIOD.toDays() + " days ago: WeChat Pay takes no refund of a payment"
                    + " older than one year (交易时间超过一年的订单无法提交退款); refund the payer another way");
        }
    }

    /** The out_refund_no the next refund of this order gets: unique because it extends the unique out_trade_no. */
    public String nextOutRefundNo() {
        return outTradeNo + "R" + String.format("%02d", refunds.size() + 1);
    }

    /**
     * Puts a refund WeChat Pay refused back in flight, with the same out_refund_no, as WeChat Pay asks a retried
     * application to ("一笔退款失败后重新提交，请不要更换退款单号，请使用原商户退款单号"): its amount is reserved again.
     *
     * @throws StateConflictException when the order is not paid or the refund is not REJECTED
     * @throws RefundNotAllowedException when it was paid more than {@link WeChatPayRules#REFUND_PERIOD} ago
     * @throws RefundLimitExceededException when its amount no longer fits what remains refundable
     */
    public Order resubmitRejectedRefund(String outRefundNo, Instant now) {
        Refund rejected = refund(outRefundNo)
                .filter(r -> r.status() == RefundStatus.REJECTED)
                .orElseThrow(() -> new StateConflictException(
                        "refund " + outRefundNo + " of order " + outTradeNo + " is not REJECTED"));
        if (!status.isPaid()) {
            throw new StateConflictException(
                    "order " + outTradeNo + " is " + status + "; only a paid order can be refunded");
        }
        requireWithinRefundPeriod(now);
        if (rejected.amount() > refundableRemainder()) {
            throw new RefundLimitExceededException("refund " + outRefundNo + " of " + rejected.amount()
                    + " fen exceeds the " + refundableRemainder() + " fen that remain refundable on order "
                    + outTradeNo);
        }
        List<Refund> updated = new ArrayList<>(refunds);
        updated.set(updated.indexOf(rejected), rejected.withStatus(RefundStatus.PROCESSING, null, null, now));
        return next(statusFor(updated), prepayId, transactionId, payerTotal, paidAt, updated, null, now);
    }

    /**
     * Applies WeChat Pay's word on one refund. A refund unknown here (made on the merchant platform) is recorded.
     *
     * <p>A refund stored REJECTED (WeChat Pay refused the application) that WeChat Pay now reports PROCESSING,
     * ABNORMAL or SUCCESS is taken at its word: money it reports paid out, or on its way out, must never be ignored,
     * or its amount would be refundable a second time. It moves unless its amount no longer fits beside the refunds
     * reserved since (that would book more than the order total as refunded, which WeChat Pay itself never allows):
     * then the order cannot be made consistent by a machine, and the report is refused as a mismatch (ALERT, the
     * callback answers non-2xx so WeChat Pay keeps it coming). Meanwhile less than its amount remains refundable
     * here, and WeChat Pay, which counts the refund it paid out, refuses any refund beyond the order total.
     *
     * @throws NotificationMismatchException when the snapshot contradicts this order
     */
    public Optional<Order> applyRefund(RefundSnapshot refund, String notificationId, Instant now) {
        if (!outTradeNo.equals(refund.outTradeNo())
                || (mchid != null && !mchid.equals(refund.mchid()))
                || !Objects.equals(subMchid(), refund.subMchid())) {
            throw new NotificationMismatchException("refund " + refund.outRefundNo() + " names order "
                    + refund.outTradeNo() + " of merchant " + refund.mchid()
                    + (refund.subMchid() == null ? "" : " sub-merchant " + refund.subMchid()) + ", not " + outTradeNo
                    + (subMchid() == null ? "" : " of sub-merchant " + subMchid()));
        }
        if (refund.total() != total) {
            throw new NotificationMismatchException("refund " + refund.outRefundNo() + " says the order total is "
                    + refund.total() + " fen; order " + outTradeNo + " has " + total);
        }
        if (transactionId != null && !transactionId.equals(refund.transactionId())) {
            throw new NotificationMismatchException("refund " + refund.outRefundNo() + " names transaction "
                    + refund.transactionId() + "; order " + outTradeNo + " was paid by " + transactionId);
        }
        if (refund.refund() <= 0) {
            throw new NotificationMismatchException(
                    "refund " + refund.outRefundNo() + " is of " + refund.refund() + " fen");
        }
        if (hasApplied(notificationId)) {
            return Optional.empty();
        }
        List<Refund> updated = new ArrayList<>(refunds);
        Optional<Refund> known = refund(refund.outRefundNo());
        if (known.isEmpty()) {
            if (refund.refund() > total - refundedTotal()) {
                throw new NotificationMismatchException("refund " + refund.outRefundNo() + " of " + refund.refund()
                        + " fen exceeds order " + outTradeNo);
            }
            updated.add(new Refund(
                    refund.outRefundNo(),
                    refund.refund(),
                    refund.status(),
                    refund.refundId(),
                    null,
                    "wechatpay",
                    null,
                    now,
                    now));
        } else {
            Refund current = known.get();
            if (current.amount() != refund.refund()) {
                throw new NotificationMismatchException("refund " + refund.outRefundNo() + " is " + refund.refund()
                        + " fen at WeChat Pay but " + current.amount() + " fen here");
            }
            if (!refundMayMove(current.status(), refund.status())
                    && (current.refundId() != null || refund.refundId() == null)) {
                return Optional.empty();
            }
            RefundStatus newStatus =
                    refundMayMove(current.status(), refund.status()) ? refund.status() : current.status();
            if (current.status() == RefundStatus.REJECTED
                    && newStatus.reservesAmount()
                    && reserved(refunds) + current.amount() > total) {
                throw new NotificationMismatchException("refund " + refund.outRefundNo() + " was refused by WeChat Pay"
                        + " and is now reported " + refund.status() + ", but its " + current.amount() + " fen no longer"
                        + " fit order " + outTradeNo + " (" + reserved(refunds) + " of " + total + " fen refunded or"
                        + " in flight since)");
            }
            updated.set(
                    updated.indexOf(current),
                    current.withStatus(
                            newStatus,
                            refund.refundId(),
                            newStatus == current.status() ? current.failure() : null,
                            now));
        }
        if (!status.isPaid() && status != OrderStatus.REFUNDED) {
            throw new NotificationMismatchException(
                    "refund " + refund.outRefundNo() + " for order " + outTradeNo + " which is " + status);
        }
        return Optional.of(
                next(statusFor(updated), prepayId, transactionId, payerTotal, paidAt, updated, notificationId, now));
    }

    /**
     * Marks a refund WeChat Pay refused outright, releasing its amount. Only for a definitive refusal: the caller
     * has confirmed that WeChat Pay holds no refund with this number (a refusal can be answered for an application
     * WeChat Pay had in fact accepted); a REJECTED refund WeChat Pay reports later is still taken (applyRefund).
     */
    public Optional<Order> rejectRefund(String outRefundNo, String failure, Instant now) {
        Optional<Refund> known = refund(outRefundNo);
        if (known.isEmpty()
                || known.get().status() != RefundStatus.PROCESSING
                || known.get().refundId() != null) {
            return Optional.empty();
        }
        List<Refund> updated = new ArrayList<>(refunds);
        updated.set(updated.indexOf(known.get()), known.get().withStatus(RefundStatus.REJECTED, null, failure, now));
        return Optional.of(next(statusFor(updated), prepayId, transactionId, payerTotal, paidAt, updated, null, now));
    }

    /**
     * Refund states only move forward; ABNORMAL may still end SUCCESS or CLOSED after manual handling. REJECTED is
     * only our reading of a refused application, so any word of WeChat Pay's about the refund overrides it.
     */
    private static boolean refundMayMove(RefundStatus from, RefundStatus to) {
        return switch (from) {
            case PROCESSING -> to != RefundStatus.PROCESSING && to != RefundStatus.REJECTED;
            case ABNORMAL -> to == RefundStatus.SUCCESS || to == RefundStatus.CLOSED;
            case REJECTED -> to != RefundStatus.REJECTED;
            default -> false;
        };
    }

    private OrderStatus statusFor(List<Refund> newRefunds) {
        if (newRefunds.stream().anyMatch(r -> r.status() == RefundStatus.PROCESSING)) {
            return OrderStatus.REFUNDING;
        }
        long refunded = newRefunds.stream()
                .filter(r -> r.status() == RefundStatus.SUCCESS)
                .mapToLong(Refund::amount)
                .sum();
        if (refunded >= total) {
            return OrderStatus.REFUNDED;
        }
        return refunded > 0 ? OrderStatus.PARTIALLY_REFUNDED : OrderStatus.PAID;
    }

    /**
     * A payment WeChat Pay took names its transaction, its amount and its payer; without them it cannot be
     * cross-checked, so it is refused (WeChat Pay delivers again) rather than applied on trust.
     */
    private void requireComplete(PaymentSnapshot payment) {
        if (!payment.isPaid()) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (payment.transactionId() == null || payment.transactionId().isBlank()) {
            missing.add("transaction_id");
        }
        if (payment.total() == null) {
            missing.add("amount.total");
        }
        if (payment.payerTotal() == null) {
            missing.add("amount.payer_total");
        }
        if (payment.payerOpenid() == null || payment.payerOpenid().isBlank()) {
            missing.add("payer.openid");
        }
        if (!missing.isEmpty()) {
            throw new NotificationRejectedException(
                    "WeChat Pay's payment for order " + payment.outTradeNo() + " lacks " + String.join(", ", missing));
        }
    }

    private void checkSameTrade(PaymentSnapshot payment) {
        List<String> wrong = new ArrayList<>();
        if (!outTradeNo.equals(payment.outTradeNo())) {
            wrong.add("out_trade_no " + payment.outTradeNo());
        }
        if (mchid != null && !mchid.equals(payment.mchid())) {
            wrong.add("mchid " + payment.mchid());
        }
        if (appid != null && !appid.equals(payment.appid())) {
            wrong.add("appid " + payment.appid());
        }
        if (!Objects.equals(subMchid(), payment.subMchid())) {
            wrong.add(
                    payment.subMchid() == null ? "no sub_mchid (a direct payment)" : "sub_mchid " + payment.subMchid());
        }
        if (!Objects.equals(subMerchant == null ? null : subMerchant.subAppid(), payment.subAppid())) {
            wrong.add("sub_appid " + payment.subAppid());
        }
        if (payment.total() != null && payment.total() != total) {
            wrong.add("amount " + payment.total() + " fen (stored " + total + ")");
        }
        if (payment.payerTotal() != null && (payment.payerTotal() < 0 || payment.payerTotal() > total)) {
            wrong.add("payer_total " + payment.payerTotal() + " fen (order total " + total + ")");
        }
        if (payment.isPaid() && openid != null && !openid.equals(payment.payerOpenid())) {
            wrong.add("payer " + payment.payerOpenid());
        }
        if (payment.isPaid()
                && transactionId != null
                && payment.transactionId() != null
                && !transactionId.equals(payment.transactionId())) {
            wrong.add("transaction_id " + payment.transactionId());
        }
        if (!wrong.isEmpty()) {
            throw new NotificationMismatchException("WeChat Pay's payment for order " + outTradeNo
                    + " does not match the stored order: " + String.join(", ", wrong));
        }
    }

    private Order next(
            OrderStatus newStatus,
            String newPrepayId,
            String newTransactionId,
            Long newPayerTotal,
            Instant newPaidAt,
            List<Refund> newRefunds,
            String notificationId,
            Instant now) {
        List<String> notifications = appliedNotificationIds;
        if (notificationId != null) {
            notifications = new ArrayList<>(appliedNotificationIds);
            notifications.add(notificationId);
        }
        Order moved = new Order(
                outTradeNo,
                appid,
                mchid,
                subMerchant,
                openid,
                idempotencyKey,
                description,
                items,
                total,
                newStatus,
                newPrepayId,
                expiresAt,
                newTransactionId,
                newPayerTotal,
                newPaidAt,
                newRefunds,
                notifications,
                createdAt,
                now,
                syncedAt,
                version + 1,
                events);
        List<OrderEvent> recorded = OrderEvent.between(this, moved, now);
        return recorded.isEmpty() ? moved : moved.withEvents(Outbox.appended(events, recorded), moved.version);
    }

    /**
     * The next version with {@code newEvents} as its outbox: for the outbox's own bookkeeping (delivery, alerts),
     * which changes nothing about the order itself, so updatedAt stays.
     */
    Order withEvents(List<OrderEvent> newEvents) {
        return withEvents(newEvents, version + 1);
    }

    private Order withEvents(List<OrderEvent> newEvents, long newVersion) {
        return withBookkeeping(syncedAt, newVersion, newEvents);
    }

    /** The same order with other bookkeeping (the sync claim, the version, the outbox); updatedAt stays. */
    private Order withBookkeeping(Instant newSyncedAt, long newVersion, List<OrderEvent> newEvents) {
        return new Order(
                outTradeNo,
                appid,
                mchid,
                subMerchant,
                openid,
                idempotencyKey,
                description,
                items,
                total,
                status,
                prepayId,
                expiresAt,
                transactionId,
                payerTotal,
                paidAt,
                refunds,
                appliedNotificationIds,
                createdAt,
                updatedAt,
                newSyncedAt,
                newVersion,
                newEvents);
    }

    /** The order as an event carries it: its notification ids and its own events are bookkeeping, left out. */
    Order eventSnapshot() {
        return new Order(
                outTradeNo,
                appid,
                mchid,
                subMerchant,
                openid,
                idempotencyKey,
                description,
                items,
                total,
                status,
                prepayId,
                expiresAt,
                transactionId,
                payerTotal,
                paidAt,
                refunds,
                List.of(),
                createdAt,
                updatedAt,
                syncedAt,
                version,
                List.of());
    }
}
