package io.wxpayfn.order;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The payment use cases. Every state change goes through {@link #update}: read, compute the next document in the
 * domain, one conditional write, and on a lost race read again, so duplicates and races are ordinary input.
 */
public final class OrderService {

    private static final System.Logger LOG = System.getLogger(OrderService.class.getName());
    private static final int MAX_LINES = 20;
    private static final int MAX_QUANTITY = 999;
    private static final int DESCRIPTION_LIMIT = WeChatPayRules.DESCRIPTION_MAX_LENGTH;
    /** The most orders one listOrders page holds. */
    public static final int MAX_LIST_LIMIT = 50;
    /**
     * How often queryOrder and queryRefund may ask WeChat Pay about one order; in between they answer the stored
     * state. Callbacks and reconcile apply WeChat Pay's word whenever it comes, so this only bounds polling.
     */
    public static final Duration QUERY_SYNC_INTERVAL = Duration.ofSeconds(5);

    private static final String OWNER = "owner";

    private final OrderStore store;
    private final PaymentGateway gateway;
    private final OrderPolicy policy;
    private final Clock clock;
    private final OrderEventListener events;

    public OrderService(OrderStore store, PaymentGateway gateway, OrderPolicy policy, Clock clock) {
        this(store, gateway, policy, clock, OrderEventListener.NONE);
    }

    /** @param events told whenever a change leaves an order with an event due (see {@link Outbox}) */
    public OrderService(
            OrderStore store, PaymentGateway gateway, OrderPolicy policy, Clock clock, OrderEventListener events) {
        this.store = store;
        this.gateway = gateway;
        this.policy = policy;
        this.clock = clock;
        this.events = events;
    }

    /** {@link #placeOrder(String, String, List, String)} for a user of the deployment's own mini-program. */
    public PlacedOrder placeOrder(String openid, List<LineRequest> lines, String idempotencyKey) {
        return placeOrder(policy.appid(), openid, lines, idempotencyKey);
    }

    /**
     * Prices the lines from the catalogue, stores the order unpaid, then asks WeChat Pay for a prepay. The same
     * idempotency key from the same user always names the same order, so a retry never makes a second one. In
     * partner mode the order is paid to the sub-merchant its products belong to (see {@link #payee}); the user's
     * {@code appid} (the mini-program they logged in through) must be the one that sub-merchant's orders are paid in.
     */
    public PlacedOrder placeOrder(String appid, String openid, List<LineRequest> lines, String idempotencyKey) {
        Instant now = clock.instant();
        List<Product> products = new ArrayList<>();
        List<OrderItem> items = price(lines, products);
        SubMerchant payee = payee(products, appid);
        Order candidate = Order.unpaid(
                outTradeNoFor(appid, openid, idempotencyKey),
                policy.appid(),
                policy.mchid(),
                payee,
                openid,
                idempotencyKey,
                describe(items),
                items,
                now.plus(policy.orderTtl()),
                now);
        Order stored = store.createIfAbsent(candidate);
        if (!stored.items().equals(items)
                || !openid.equals(stored.openid())
                || !Objects.equals(payee, stored.subMerchant())) {
            throw new IdempotencyConflictException("idempotencyKey " + idempotencyKey
                    + " was already used for a different order; use a new key for a new order");
        }
        if (stored.status() != OrderStatus.NOTPAY) {
            return new PlacedOrder(stored, null);
        }
        if (!stored.expiresAt().isAfter(now.plusSeconds(60))) {
            throw new StateConflictException(
                    "order " + stored.outTradeNo() + " has expired; place a new order with a new idempotencyKey");
        }
        PaymentRequest payment;
        try {
            payment = gateway.prepay(stored);
        } catch (WeChatPayRejectedException e) {
            if (WeChatPayRules.ORDERPAID.equals(e.wechatCode())) {
                return new PlacedOrder(sync(stored), null);
            }
            throw e;
        }
        Order withPrepay = update(stored, o -> o.withPrepay(payment.prepayId(), clock.instant()));
        return new PlacedOrder(withPrepay, withPrepay.status() == OrderStatus.NOTPAY ? payment : null);
    }

    /**
     * The caller's order, brought up to date from WeChat Pay while it is not final, at most once per
     * {@link #QUERY_SYNC_INTERVAL}: a mini-program polling an unpaid order cannot make every poll a WeChat Pay call.
     */
    public Order getOrder(Caller caller, String outTradeNo) {
        Order order = authorized(caller, store.find(outTradeNo), "order " + outTradeNo);
        if (!order.awaitsWeChatPay()) {
            return order;
        }
        SyncClaim claim = claimSync(order);
        return claim.won() ? syncQuietly(claim.order()) : claim.order();
    }

    /** Closes an unpaid order at WeChat Pay, then in the store; a payment that won the race is applied instead. */
    public Order closeOrder(Caller caller, String outTradeNo) {
        Order order = authorized(caller, store.find(outTradeNo), "order " + outTradeNo);
        if (order.status() == OrderStatus.CLOSED) {
            return order;
        }
        if (order.status() != OrderStatus.NOTPAY) {
            throw new StateConflictException("order " + outTradeNo + " is " + order.status() + " and cannot be closed");
        }
        return closeAtWeChatPay(order);
    }

    /**
     * Applies for a refund. An owner may take back the whole of a paid, unrefunded order within the policy
     * window; an operator may refund any amount up to what remains (the whole remainder when amount is null).
     * Naming an existing outRefundNo (operator) resubmits that refund instead of making a new one. Every rule is
     * checked on the order the conditional write is computed from, so a race cannot slip past one.
     */
    public RefundResult refund(Caller caller, String outTradeNo, Long amount, String reason, String outRefundNo) {
        Order order = authorized(caller, store.find(outTradeNo), "order " + outTradeNo);
        if (outRefundNo != null) {
            if (!caller.operator()) {
                throw new ForbiddenException("only an operator may name an outRefundNo");
            }
            return resubmit(order, outRefundNo);
        }
        if (!caller.operator()) {
            return ownerRefund(order, amount, reason);
        }
        Order withRefund = update(
                order,
                o -> Optional.of(o.requestRefund(
                        o.nextOutRefundNo(),
                        amount == null ? o.refundableRemainder() : amount,
                        reason,
                        "operator",
                        clock.instant())));
        Refund requested = withRefund.refunds().get(withRefund.refunds().size() - 1);
        return submitRefund(withRefund, requested);
    }

    /**
     * The owner's refund: the whole order, once. "Is there already one" and the policy are decided inside the
     * conditional write, on the order it is computed from; identical requests at once all get the one refund, and
     * one racing an operator's refund either wins the whole order or is refused.
     */
    private RefundResult ownerRefund(Order order, Long amount, String reason) {
        AtomicBoolean requested = new AtomicBoolean();
        Order after = update(order, o -> {
            requested.set(false);
            if (ownersRefund(o).isPresent()) {
                return Optional.empty();
            }
            checkOwnerPolicy(o, amount);
            requested.set(true);
            return Optional.of(o.requestRefund(o.nextOutRefundNo(), o.total(), reason, OWNER, clock.instant()));
        });
        Refund refund = ownersRefund(after).orElseThrow();
        if (requested.get()) {
            return submitRefund(after, refund);
        }
        // Asked again (a retry, or a duplicate that lost the race): the one refund, brought up to date at most
        // once per interval, which also resubmits it if WeChat Pay never received it.
        return refund.status().isFinal() ? new RefundResult(after, refund) : refreshRefund(after, refund.outRefundNo());
    }

    private static Optional<Refund> ownersRefund(Order order) {
        return order.refunds().stream()
                .filter(r -> OWNER.equals(r.requestedBy()) && r.status().reservesAmount())
                .findFirst();
    }

    /**
     * An operator naming an existing refund. One WeChat Pay never accepted (PROCESSING without a refund id, or
     * REJECTED) is applied for again with the same out_refund_no, as WeChat Pay asks a retry to be. An ABNORMAL one
     * cannot be retried that way: WeChat Pay answers the same out_refund_no with the same refund and pays nothing
     * ("同一退款单号多次请求只退一笔"); it is handled on the merchant platform or through WeChat Pay's 发起异常退款, and
     * its outcome then arrives like any other. Others are brought up to date.
     */
    private RefundResult resubmit(Order order, String outRefundNo) {
        Refund existing = order.refund(outRefundNo)
                .orElseThrow(
                        () -> new NotFoundException("no refund " + outRefundNo + " on order " + order.outTradeNo()));
        if (existing.status() == RefundStatus.REJECTED) {
            Order again = update(
                    order,
                    o -> o.refund(outRefundNo)
                            .filter(r -> r.status() == RefundStatus.REJECTED)
                            .map(r -> o.resubmitRejectedRefund(outRefundNo, clock.instant())));
            Refund refund = again.refund(outRefundNo).orElseThrow();
            return refund.status() == RefundStatus.PROCESSING && refund.refundId() == null
                    ? submitRefund(again, refund)
                    : new RefundResult(again, refund);
        }
        if (existing.status() == RefundStatus.PROCESSING && existing.refundId() == null) {
            return submitRefund(order, existing);
        }
        RefundResult current = syncRefund(order, existing);
        if (current.refund().status() == RefundStatus.ABNORMAL) {
            throw new StateConflictException("refund " + outRefundNo + " is ABNORMAL: WeChat Pay could not pay it back"
                    + " (a closed or frozen card) and holds the money. Applying again with the same out_refund_no does"
                    + " not retry it: WeChat Pay answers the same refund. Handle it on the merchant platform"
                    + " (交易中心, 退款) or with WeChat Pay's 发起异常退款; its outcome then reaches refund-callback,"
                    + " queryRefund and reconcile");
        }
        return current;
    }

    /** The caller's refund, brought up to date from WeChat Pay while it is not final (at most once per interval). */
    public RefundResult getRefund(Caller caller, String outRefundNo) {
        Order order = authorized(caller, store.findByOutRefundNo(outRefundNo), "refund " + outRefundNo);
        Refund refund = order.refund(outRefundNo).orElseThrow();
        return refund.status().isFinal() ? new RefundResult(order, refund) : refreshRefund(order, outRefundNo);
    }

    /** A refund that is not final, asked about at WeChat Pay when this order's sync slot is free. */
    private RefundResult refreshRefund(Order order, String outRefundNo) {
        SyncClaim claim = claimSync(order);
        Refund refund = claim.order().refund(outRefundNo).orElseThrow();
        return claim.won() ? syncRefund(claim.order(), refund) : new RefundResult(claim.order(), refund);
    }

    /**
     * Applies a verified payment notification; a duplicate changes nothing. One that contradicts the order changes
     * nothing either, but is recorded as an ORDER_ALERT event (once per notification id) before it is refused.
     */
    public Order applyPaymentNotification(String notificationId, PaymentSnapshot payment) {
        return applyNotification(
                payment.outTradeNo(), notificationId, o -> o.applyPayment(payment, notificationId, clock.instant()));
    }

    /** Applies a verified refund notification; a duplicate changes nothing; a contradiction is alerted as above. */
    public Order applyRefundNotification(String notificationId, RefundSnapshot refund) {
        return applyNotification(
                refund.outTradeNo(), notificationId, o -> o.applyRefund(refund, notificationId, clock.instant()));
    }

    private Order applyNotification(String outTradeNo, String notificationId, Function<Order, Optional<Order>> apply) {
        Order order = stored(outTradeNo);
        try {
            return update(order, apply);
        } catch (NotificationMismatchException mismatch) {
            throw alerted(order, notificationId, mismatch);
        }
    }

    /**
     * Records the ORDER_ALERT of a contradicting notification in a conditional write of its own (a notification
     * without an id, i.e. a query's answer, is only refused) and returns the mismatch to throw. If that write fails,
     * its failure is thrown instead: the callback is answered non-2xx either way, and WeChat Pay's next delivery
     * records the alert.
     */
    private NotificationMismatchException alerted(
            Order order, String notificationId, NotificationMismatchException mismatch) {
        update(order, o -> Outbox.alerted(o, notificationId, mismatch.getMessage(), clock.instant()));
        return mismatch;
    }

    /**
     * Asks WeChat Pay about every part of the order that is not final and applies the answers. Failures of WeChat
     * Pay propagate; a contradiction is raised as {@link NotificationMismatchException}.
     */
    public Order sync(Order order) {
        Order current = order;
        if (current.status() == OrderStatus.NOTPAY) {
            Optional<PaymentSnapshot> payment = gateway.queryPayment(current);
            if (payment.isPresent()) {
                current = update(current.outTradeNo(), o -> o.applyPayment(payment.get(), null, clock.instant()));
            }
        }
        for (Refund refund : current.refunds()) {
            if (!refund.status().isFinal()) {
                current = syncRefund(current, refund).order();
            }
        }
        return current;
    }

    /** Closes an unpaid order at WeChat Pay and in the store, then checks no payment slipped in before the close. */
    public Order closeAtWeChatPay(Order order) {
        try {
            gateway.close(order);
        } catch (WeChatPayRejectedException e) {
            if (WeChatPayRules.ORDERPAID.equals(e.wechatCode())) {
                Order paid = sync(order);
                throw new StateConflictException(
                        "order " + order.outTradeNo() + " was paid before it could be closed (" + paid.status() + ")");
            }
            if (!WeChatPayRules.ORDER_NOT_EXIST.equals(e.wechatCode())) {
                throw e;
            }
            // WeChat Pay never saw the order (its prepay failed), so nothing can pay it: close it here only.
        }
        return update(order.outTradeNo(), o -> o.close(clock.instant()));
    }

    /**
     * One page of orders as stored, never asking WeChat Pay: a user's own orders only (whatever owner the filter
     * names), any orders for the operator. Reads one more than {@code limit} to know whether a next page exists.
     */
    public OrderPage listOrders(Caller caller, OrderFilter filter, OrderPosition after, int limit) {
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw new InvalidRequestException("limit", "must be a whole number from 1 to " + MAX_LIST_LIMIT);
        }
        OrderFilter scoped = caller.operator() ? filter : filter.ownedBy(caller.openid());
        List<Order> found = store.listOrders(scoped, after, limit + 1);
        if (found.size() <= limit) {
            return new OrderPage(found, null);
        }
        List<Order> page = found.subList(0, limit);
        return new OrderPage(page, OrderPosition.of(page.get(limit - 1)));
    }

    /**
     * Claims this order's sync slot ({@link Order#claimSync}) with one conditional write, so that readers on every
     * instance together ask WeChat Pay at most once per interval. Not won when the slot is taken (the order as read
     * is answered) or when another write got there first (the order as it now stands is answered).
     */
    private SyncClaim claimSync(Order order) {
        Optional<Order> claim = order.claimSync(clock.instant(), QUERY_SYNC_INTERVAL);
        if (claim.isEmpty()) {
            return new SyncClaim(order, false);
        }
        return store.replaceIfCurrent(order, claim.get())
                ? new SyncClaim(claim.get(), true)
                : new SyncClaim(current(order), false);
    }

    /** The order to answer or sync, and whether this reader may ask WeChat Pay about it. */
    private record SyncClaim(Order order, boolean won) {}

    /** The order as stored now, or as read when it is gone (it never is: orders are not deleted). */
    private Order current(Order order) {
        return store.find(order.outTradeNo()).orElse(order);
    }

    private Order syncQuietly(Order order) {
        try {
            return sync(order);
        } catch (WeChatPayUnavailableException | WeChatPayRejectedException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "answering stored state of order {0}: {1}",
                    order.outTradeNo(),
                    e.getMessage());
            return current(order);
        } catch (NotificationMismatchException e) {
            LOG.log(System.Logger.Level.ERROR, "ALERT {0}", e.getMessage());
            return current(order);
        } catch (NotificationRejectedException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "answering stored state of order {0}: WeChat Pay''s answer was " + "refused: {1}",
                    order.outTradeNo(),
                    e.getMessage());
            return current(order);
        }
    }

    private RefundResult syncRefund(Order order, Refund refund) {
        if (refund.status().isFinal()) {
            return new RefundResult(order, refund);
        }
        Optional<RefundSnapshot> known = gateway.queryRefund(order, refund.outRefundNo());
        if (known.isEmpty()) {
            // WeChat Pay never received the application (its answer was lost): send it again, same out_refund_no.
            return refund.refundId() == null ? submitRefund(order, refund) : new RefundResult(order, refund);
        }
        Order updated = update(order.outTradeNo(), o -> o.applyRefund(known.get(), null, clock.instant()));
        return new RefundResult(updated, updated.refund(refund.outRefundNo()).orElseThrow());
    }

    /**
     * Applies to WeChat Pay for a stored refund. A refusal releases the refund's amount (REJECTED) only when it is
     * definitive: WeChat Pay's own query must show it holds no refund with this number. A refusal answered for an
     * application it had in fact accepted (an ambiguous code, a lost first answer) is no refusal: what the query
     * shows is applied instead. When the query cannot be made, the refund stays in flight and the next
     * queryRefund or reconcile asks again.
     */
    private RefundResult submitRefund(Order order, Refund refund) {
        RefundSnapshot accepted;
        try {
            accepted = gateway.refund(order, refund);
        } catch (WeChatPayRejectedException refusal) {
            Optional<RefundSnapshot> held;
            try {
                held = gateway.queryRefund(order, refund.outRefundNo());
            } catch (WeChatPayUnavailableException | WeChatPayRejectedException unconfirmed) {
                throw refusal;
            }
            if (held.isEmpty()) {
                update(
                        order.outTradeNo(),
                        o -> o.rejectRefund(refund.outRefundNo(), refusal.wechatCode(), clock.instant()));
                throw refusal;
            }
            accepted = held.get();
        }
        RefundSnapshot answer = accepted;
        Order updated = update(order.outTradeNo(), o -> o.applyRefund(answer, null, clock.instant()));
        return new RefundResult(updated, updated.refund(refund.outRefundNo()).orElseThrow());
    }

    private void checkOwnerPolicy(Order order, Long amount) {
        if (policy.ownerRefundWindow().isZero()) {
            throw new RefundNotAllowedException("refunds are made by the merchant; contact the shop");
        }
        if (order.status() != OrderStatus.PAID || order.refundableRemainder() != order.total()) {
            // PAID with less than the total refundable: an abnormal refund still holds part of it.
            String state = order.status() == OrderStatus.PAID
                    ? "PAID with a refund outstanding"
                    : order.status().name();
            throw new RefundNotAllowedException("order " + order.outTradeNo() + " is " + state
                    + "; an owner may only refund a paid, unrefunded order");
        }
        if (amount != null && amount != order.total()) {
            throw new RefundNotAllowedException("an owner may only refund the whole order (" + order.total() + " fen)");
        }
        if (order.paidAt() == null
                || order.paidAt().plus(policy.ownerRefundWindow()).isBefore(clock.instant())) {
            throw new RefundNotAllowedException(
                    "the " + policy.ownerRefundWindow().toDays() + "-day refund window of order " + order.outTradeNo()
                            + " has passed");
        }
    }

    /**
     * Whom an order of these products is paid to, decided here, never taken from the caller: nobody in direct mode
     * (the merchant itself); in partner mode the configured sub-merchant every product names (a product naming none
     * belongs to the only one configured). An order mixing sub-merchants is refused naming {@code items}: each is
     * paid to one sub-merchant. So is one whose sub-merchant's orders are paid in another mini-program than the one
     * the user is logged in through, since the payer's openid and wx.requestPayment belong to that appid.
     */
    private SubMerchant payee(List<Product> products, String appid) {
        if (!policy.partner()) {
            for (int i = 0; i < products.size(); i++) {
                if (products.get(i).subMchid() != null) {
                    throw new InvalidRequestException(
                            "items[" + i + "].productId",
                            "unknown product " + products.get(i).id());
                }
            }
            return null;
        }
        SubMerchant payee = null;
        for (int i = 0; i < products.size(); i++) {
            Product product = products.get(i);
            Optional<SubMerchant> seller = product.subMchid() == null
                    ? Optional.ofNullable(
                            policy.subMerchants().size() == 1
                                    ? policy.subMerchants().get(0)
                                    : null)
                    : policy.subMerchant(product.subMchid());
            if (seller.isEmpty()) {
                // A catalogue entry naming no configured sub-merchant is not for sale here.
                throw new InvalidRequestException("items[" + i + "].productId", "unknown product " + product.id());
            }
            if (payee != null && !payee.equals(seller.get())) {
                throw new InvalidRequestException(
                        "items",
                        "the products are sold by different sub-merchants (" + payee.subMchid() + ", "
                                + seller.get().subMchid() + "); place one order per sub-merchant");
            }
            payee = seller.get();
        }
        String payerAppid = payee.payerAppid(policy.appid());
        if (!payerAppid.equals(appid)) {
            throw new InvalidRequestException(
                    "items",
                    "sub-merchant " + payee.subMchid() + " is paid in mini-program " + payerAppid + ", not in " + appid
                            + " the user is logged in through");
        }
        return payee;
    }

    private List<OrderItem> price(List<LineRequest> lines, List<Product> products) {
        if (lines == null || lines.isEmpty()) {
            throw new InvalidRequestException("items", "must list at least one product");
        }
        if (lines.size() > MAX_LINES) {
            throw new InvalidRequestException("items", "at most " + MAX_LINES + " lines");
        }
        List<OrderItem> items = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < lines.size(); i++) {
            LineRequest line = lines.get(i);
            String field = "items[" + i + "]";
            if (line.quantity() < 1 || line.quantity() > MAX_QUANTITY) {
                throw new InvalidRequestException(field + ".quantity", "must be between 1 and " + MAX_QUANTITY);
            }
            Product product = store.findProduct(line.productId())
                    .filter(Product::active)
                    .orElseThrow(() ->
                            new InvalidRequestException(field + ".productId", "unknown product " + line.productId()));
            OrderItem item = new OrderItem(product.id(), product.name(), product.price(), line.quantity());
            products.add(product);
            // Bounded before anything is stored: WeChat Pay takes 1 fen to 2^31-1 fen, and an order it refuses
            // would stay NOTPAY and fail on every retry.
            try {
                total = Math.addExact(total, item.lineTotal());
            } catch (ArithmeticException overflow) {
                throw orderTooLarge();
            }
            if (total > WeChatPayRules.MAX_TOTAL_FEN) {
                throw orderTooLarge();
            }
            items.add(item);
        }
        if (total < 1) {
            throw new InvalidRequestException("items", "the order total must be at least 1 fen");
        }
        return items;
    }

    private static InvalidRequestException orderTooLarge() {
        return new InvalidRequestException(
                "items",
                "the order total exceeds " + WeChatPayRules.MAX_TOTAL_FEN
                        + " fen, the most WeChat Pay accepts for one payment; split the order");
    }

    private static String describe(List<OrderItem> items) {
        StringBuilder text = new StringBuilder();
        for (OrderItem item : items) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(item.name());
            if (item.quantity() > 1) {
                text.append(" x").append(item.quantity());
            }
        }
        // WeChat Pay counts characters, not UTF-16 units: cut on a code point boundary.
        String description = text.toString();
        if (description.codePointCount(0, description.length()) > DESCRIPTION_LIMIT) {
            description = description.substring(0, description.offsetByCodePoints(0, DESCRIPTION_LIMIT - 1)) + "…";
        }
        return description;
    }

    /** Same user and key, same order number: the idempotency of placeOrder rests on create-if-absent of this key. */
    private String outTradeNoFor(String appid, String openid, String idempotencyKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((appid + '\n' + openid + '\n' + idempotencyKey).getBytes(StandardCharsets.UTF_8));
            return "WX" + HexFormat.of().formatHex(digest, 0, 14);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private Order stored(String outTradeNo) {
        return Optional.ofNullable(outTradeNo)
                .flatMap(store::find)
                .orElseThrow(() -> new NotificationRejectedException("notification names unknown order " + outTradeNo));
    }

    private static Order authorized(Caller caller, Optional<Order> found, String what) {
        // Another user's order is reported as absent, so order numbers cannot be probed.
        return found.filter(caller::mayAccess).orElseThrow(() -> new NotFoundException("no " + what));
    }

    private Order update(String outTradeNo, Function<Order, Optional<Order>> change) {
        return update(
                store.find(outTradeNo).orElseThrow(() -> new NotFoundException("no order " + outTradeNo)), change);
    }

    /** One conditional change ({@link ConditionalWrites#update}); an event it leaves due is announced. */
    private Order update(Order known, Function<Order, Optional<Order>> change) {
        Order after = ConditionalWrites.update(store, known, change);
        Instant due = Outbox.dueAt(after);
        if (due != null && !due.isAfter(clock.instant())) {
            events.eventsDue(after.outTradeNo());
        }
        return after;
    }
}
