package io.wxpayfn.order;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The payment use cases. Every state change goes through {@link #update}: read, compute the next document in the
 * domain, one conditional write, and on a lost race read again, so duplicates and races are ordinary input.
 */
public final class OrderService {

    private static final System.Logger LOG = System.getLogger(OrderService.class.getName());
    private static final int MAX_LINES = 20;
    private static final int MAX_QUANTITY = 999;
    private static final int DESCRIPTION_LIMIT = 127;
    private static final int WRITE_ATTEMPTS = 16;
    /** The most orders one listOrders page holds. */
    public static final int MAX_LIST_LIMIT = 50;

    private final OrderStore store;
    private final PaymentGateway gateway;
    private final OrderPolicy policy;
    private final Clock clock;

    public OrderService(OrderStore store, PaymentGateway gateway, OrderPolicy policy, Clock clock) {
        this.store = store;
        this.gateway = gateway;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Prices the lines from the catalogue, stores the order unpaid, then asks WeChat Pay for a prepay. The same
     * idempotency key from the same user always names the same order, so a retry never makes a second one.
     */
    public PlacedOrder placeOrder(String openid, List<LineRequest> lines, String idempotencyKey) {
        Instant now = clock.instant();
        List<OrderItem> items = price(lines);
        Order candidate = Order.unpaid(outTradeNoFor(openid, idempotencyKey), policy.appid(), policy.mchid(), openid,
                idempotencyKey, describe(items), items, now.plus(policy.orderTtl()), now);
        Order stored = store.createIfAbsent(candidate);
        if (!stored.items().equals(items) || !openid.equals(stored.openid())) {
            throw new IdempotencyConflictException("idempotencyKey " + idempotencyKey
                    + " was already used for a different order; use a new key for a new order");
        }
        if (stored.status() != OrderStatus.NOTPAY) {
            return new PlacedOrder(stored, null);
        }
        if (!stored.expiresAt().isAfter(now.plusSeconds(60))) {
            throw new StateConflictException("order " + stored.outTradeNo()
                    + " has expired; place a new order with a new idempotencyKey");
        }
        PaymentRequest payment;
        try {
            payment = gateway.prepay(stored);
        } catch (WeChatPayRejectedException e) {
            if ("ORDERPAID".equals(e.wechatCode())) {
                return new PlacedOrder(sync(stored), null);
            }
            throw e;
        }
        Order withPrepay = update(stored, o -> o.withPrepay(payment.prepayId(), clock.instant()));
        return new PlacedOrder(withPrepay, withPrepay.status() == OrderStatus.NOTPAY ? payment : null);
    }

    /** The caller's order, brought up to date from WeChat Pay while it is not final. */
    public Order getOrder(Caller caller, String outTradeNo) {
        Order order = authorized(caller, store.find(outTradeNo), "order " + outTradeNo);
        return order.awaitsWeChatPay() ? syncQuietly(order) : order;
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
     * Naming an existing outRefundNo (operator) resubmits that refund instead of making a new one.
     */
    public RefundResult refund(Caller caller, String outTradeNo, Long amount, String reason, String outRefundNo) {
        Order order = authorized(caller, store.find(outTradeNo), "order " + outTradeNo);
        if (outRefundNo != null) {
            if (!caller.operator()) {
                throw new ForbiddenException("only an operator may name an outRefundNo");
            }
            Refund existing = order.refund(outRefundNo).orElseThrow(() ->
                    new NotFoundException("no refund " + outRefundNo + " on order " + outTradeNo));
            return existing.status().isFinal() || existing.refundId() != null
                    ? syncRefund(order, existing) : submitRefund(order, existing);
        }
        if (!caller.operator()) {
            Optional<Refund> ownersRefund = order.refunds().stream()
                    .filter(r -> "owner".equals(r.requestedBy()) && r.status().reservesAmount()).findFirst();
            if (ownersRefund.isPresent()) {
                return syncRefund(order, ownersRefund.get());
            }
            checkOwnerPolicy(order, amount);
        }
        String requestedBy = caller.operator() ? "operator" : "owner";
        Order withRefund = update(outTradeNo, o -> Optional.of(o.requestRefund(o.nextOutRefundNo(),
                amount == null ? o.refundableRemainder() : amount, reason, requestedBy, clock.instant())));
        Refund requested = withRefund.refunds().get(withRefund.refunds().size() - 1);
        return submitRefund(withRefund, requested);
    }

    /** The caller's refund, brought up to date from WeChat Pay while it is not final. */
    public RefundResult getRefund(Caller caller, String outRefundNo) {
        Order order = authorized(caller, store.findByOutRefundNo(outRefundNo), "refund " + outRefundNo);
        Refund refund = order.refund(outRefundNo).orElseThrow();
        return refund.status().isFinal() ? new RefundResult(order, refund) : syncRefund(order, refund);
    }

    /** Applies a verified payment notification; a duplicate changes nothing. */
    public Order applyPaymentNotification(String notificationId, PaymentSnapshot payment) {
        return update(stored(payment.outTradeNo()), o -> o.applyPayment(payment, notificationId, clock.instant()));
    }

    /** Applies a verified refund notification; a duplicate changes nothing. */
    public Order applyRefundNotification(String notificationId, RefundSnapshot refund) {
        return update(stored(refund.outTradeNo()), o -> o.applyRefund(refund, notificationId, clock.instant()));
    }

    /**
     * Asks WeChat Pay about every part of the order that is not final and applies the answers. Failures of WeChat
     * Pay propagate; a contradiction is raised as {@link NotificationMismatchException}.
     */
    public Order sync(Order order) {
        Order current = order;
        if (current.status() == OrderStatus.NOTPAY) {
            Optional<PaymentSnapshot> payment = gateway.queryPayment(current.outTradeNo());
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
            gateway.close(order.outTradeNo());
        } catch (WeChatPayRejectedException e) {
            if ("ORDERPAID".equals(e.wechatCode())) {
                Order paid = sync(order);
                throw new StateConflictException("order " + order.outTradeNo() + " was paid before it could be closed ("
                        + paid.status() + ")");
            }
            if (!"ORDER_NOT_EXIST".equals(e.wechatCode())) {
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

    private Order syncQuietly(Order order) {
        try {
            return sync(order);
        } catch (WeChatPayUnavailableException | WeChatPayRejectedException e) {
            LOG.log(System.Logger.Level.WARNING, "answering stored state of order {0}: {1}", order.outTradeNo(),
                    e.getMessage());
            return order;
        } catch (NotificationMismatchException e) {
            LOG.log(System.Logger.Level.ERROR, "ALERT {0}", e.getMessage());
            return order;
        }
    }

    private RefundResult syncRefund(Order order, Refund refund) {
        if (refund.status().isFinal()) {
            return new RefundResult(order, refund);
        }
        Optional<RefundSnapshot> known = gateway.queryRefund(refund.outRefundNo());
        if (known.isEmpty()) {
            // WeChat Pay never received the application (its answer was lost): send it again, same out_refund_no.
            return refund.refundId() == null ? submitRefund(order, refund) : new RefundResult(order, refund);
        }
        Order updated = update(order.outTradeNo(), o -> o.applyRefund(known.get(), null, clock.instant()));
        return new RefundResult(updated, updated.refund(refund.outRefundNo()).orElseThrow());
    }

    private RefundResult submitRefund(Order order, Refund refund) {
        RefundSnapshot accepted;
        try {
            accepted = gateway.refund(order, refund);
        } catch (WeChatPayRejectedException e) {
            update(order.outTradeNo(), o -> o.rejectRefund(refund.outRefundNo(), e.wechatCode(), clock.instant()));
            throw e;
        }
        Order updated = update(order.outTradeNo(), o -> o.applyRefund(accepted, null, clock.instant()));
        return new RefundResult(updated, updated.refund(refund.outRefundNo()).orElseThrow());
    }

    private void checkOwnerPolicy(Order order, Long amount) {
        if (policy.ownerRefundWindow().isZero()) {
            throw new RefundNotAllowedException("refunds are made by the merchant; contact the shop");
        }
        if (order.status() != OrderStatus.PAID) {
            throw new RefundNotAllowedException("order " + order.outTradeNo() + " is " + order.status()
                    + "; an owner may only refund a paid, unrefunded order");
        }
        if (amount != null && amount != order.total()) {
            throw new RefundNotAllowedException("an owner may only refund the whole order (" + order.total() + " fen)");
        }
        if (order.paidAt() == null || order.paidAt().plus(policy.ownerRefundWindow()).isBefore(clock.instant())) {
            throw new RefundNotAllowedException("the " + policy.ownerRefundWindow().toDays()
                    + "-day refund window of order " + order.outTradeNo() + " has passed");
        }
    }

    private List<OrderItem> price(List<LineRequest> lines) {
        if (lines == null || lines.isEmpty()) {
            throw new InvalidRequestException("items", "must list at least one product");
        }
        if (lines.size() > MAX_LINES) {
            throw new InvalidRequestException("items", "at most " + MAX_LINES + " lines");
        }
        List<OrderItem> items = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            LineRequest line = lines.get(i);
            String field = "items[" + i + "]";
            if (line.quantity() < 1 || line.quantity() > MAX_QUANTITY) {
                throw new InvalidRequestException(field + ".quantity", "must be between 1 and " + MAX_QUANTITY);
            }
            Product product = store.findProduct(line.productId()).filter(Product::active).orElseThrow(() ->
                    new InvalidRequestException(field + ".productId", "unknown product " + line.productId()));
            items.add(new OrderItem(product.id(), product.name(), product.price(), line.quantity()));
        }
        return items;
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
    private String outTradeNoFor(String openid, String idempotencyKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (policy.appid() + '\n' + openid + '\n' + idempotencyKey).getBytes(StandardCharsets.UTF_8));
            return "WX" + HexFormat.of().formatHex(digest, 0, 14);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private Order stored(String outTradeNo) {
        return Optional.ofNullable(outTradeNo).flatMap(store::find).orElseThrow(() ->
                new NotificationRejectedException("notification names unknown order " + outTradeNo));
    }

    private static Order authorized(Caller caller, Optional<Order> found, String what) {
        // Another user's order is reported as absent, so order numbers cannot be probed.
        return found.filter(caller::mayAccess).orElseThrow(() -> new NotFoundException("no " + what));
    }

    private Order update(String outTradeNo, Function<Order, Optional<Order>> change) {
        return update(store.find(outTradeNo).orElseThrow(() -> new NotFoundException("no order " + outTradeNo)), change);
    }

    /**
     * Applies {@code change} to {@code known} and writes the result conditionally; after a lost race it reads the
     * order again and recomputes. Only for changes that throw nothing a stale copy could cause wrongly: the
     * conditional write catches the staleness itself.
     */
    private Order update(Order known, Function<Order, Optional<Order>> change) {
        Order current = known;
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            Optional<Order> next = change.apply(current);
            if (next.isEmpty()) {
                return current;
            }
            if (store.replaceIfCurrent(current, next.get())) {
                return next.get();
            }
            current = store.find(known.outTradeNo())
                    .orElseThrow(() -> new NotFoundException("no order " + known.outTradeNo()));
        }
        throw new StoreUnavailableException("order " + known.outTradeNo() + " kept changing during " + WRITE_ATTEMPTS
                + " attempts to update it", null);
    }
}
