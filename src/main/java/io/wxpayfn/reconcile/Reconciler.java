package io.wxpayfn.reconcile;

import io.wxpayfn.order.NotificationMismatchException;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.PaymentException;
import io.wxpayfn.order.PaymentGateway;
import io.wxpayfn.order.PaymentSnapshot;
import io.wxpayfn.order.Refund;
import io.wxpayfn.order.RefundSnapshot;
import io.wxpayfn.order.RefundStatus;
import io.wxpayfn.order.StateConflictException;
import io.wxpayfn.order.StoreUnavailableException;
import io.wxpayfn.order.WeChatPayRejectedException;
import io.wxpayfn.order.WeChatPayUnavailableException;
import io.wxpayfn.reconcile.ReconcileReport.Finding;
import io.wxpayfn.reconcile.ReconcileReport.FindingKind;
import io.wxpayfn.reconcile.ReconcileReport.PhaseCounts;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Brings the store back in line with WeChat Pay: closes expired unpaid orders, asks about stale ones, and checks
 * a day's trade bill. Every change goes through {@link OrderService}'s transitions, so a run is idempotent and a
 * crashed or bounded run can resume from its cursor, or simply start over. A WeChat Pay failure on one order is a
 * finding and the run goes on; a store failure stops it.
 */
public final class Reconciler {

    /** WeChat Pay's bills are days of China Standard Time. */
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    private static final Set<OrderStatus> UNPAID = EnumSet.of(OrderStatus.NOTPAY);
    /** An ABNORMAL refund leaves its order PAID or PARTIALLY_REFUNDED, so those are scanned for one too. */
    private static final Set<OrderStatus> MAY_AWAIT_WECHATPAY =
            EnumSet.of(OrderStatus.NOTPAY, OrderStatus.REFUNDING, OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED);

    private final OrderStore store;
    private final PaymentGateway gateway;
    private final OrderService service;
    private final BillSource bills;
    /** The bills of a date: a direct merchant's one (null), or each sub-merchant's, in configured order. */
    private final List<String> billScopes;

    private final TradeBillParser parser = new TradeBillParser();

    /** A direct merchant's reconciler: one bill per date. */
    public Reconciler(OrderStore store, PaymentGateway gateway, OrderService service, BillSource bills) {
        this(store, gateway, service, bills, List.of());
    }

    /** @param subMchids partner mode: the sub-merchants whose bills are checked, one after the other; empty: direct */
    public Reconciler(
            OrderStore store, PaymentGateway gateway, OrderService service, BillSource bills, List<String> subMchids) {
        this.store = store;
        this.gateway = gateway;
        this.service = service;
        this.bills = bills;
        this.billScopes = subMchids.isEmpty() ? Collections.singletonList(null) : List.copyOf(subMchids);
    }

    public ReconcileReport run(ReconcileRequest request) {
        return new Run(request).execute();
    }

    /** The state of one run: counts, findings and the position reached. */
    private final class Run {
        private final ReconcileRequest request;
        private final Counts expired = new Counts();
        private final Counts stale = new Counts();
        private final Counts bill = new Counts();
        private final List<Finding> findings = new ArrayList<>();
        private ReconcileCursor position;
        private int touched;
        private boolean boundHit;

        Run(ReconcileRequest request) {
            this.request = request;
            this.position = request.resumeFrom();
        }

        ReconcileReport execute() {
            String abortedBy = null;
            boolean finished = false;
            try {
                finished = scan(ReconcilePhase.EXPIRED, UNPAID, request.now(), this::isExpired, this::closeExpired)
                        && scan(
                                ReconcilePhase.STALE,
                                MAY_AWAIT_WECHATPAY,
                                request.now().minus(request.staleAfter()),
                                o -> o.awaitsWeChatPay() && !isExpired(o),
                                this::syncStale)
                        && checkBill();
            } catch (StoreUnavailableException e) {
                abortedBy = e.getMessage();
            }
            return new ReconcileReport(
                    request.now(),
                    request.billDate(),
                    expired.toRecord(),
                    stale.toRecord(),
                    bill.toRecord(),
                    findings,
                    finished ? null : position,
                    boundHit,
                    abortedBy);
        }

        /** Pages through one phase's orders from the cursor; false when the bound stopped it. */
        private boolean scan(
                ReconcilePhase phase,
                Set<OrderStatus> statuses,
                Instant updatedAtOrBefore,
                Predicate<Order> selected,
                OrderStep step) {
            if (position.phase().compareTo(phase) > 0) {
                return true;
            }
            if (position.phase() != phase) {
                position = new ReconcileCursor(phase, null, 0);
            }
            while (true) {
                List<Order> page =
                        store.findByStatus(statuses, updatedAtOrBefore, position.afterOutTradeNo(), request.pageSize());
                for (Order order : page) {
                    if (selected.test(order)) {
                        if (touched == request.maxOrders()) {
                            boundHit = true;
                            return false;
                        }
                        touched++;
                        step.handle(order);
                    }
                    position = new ReconcileCursor(phase, order.outTradeNo(), 0);
                }
                if (page.size() < request.pageSize()) {
                    position = new ReconcileCursor(ReconcilePhase.values()[phase.ordinal() + 1], null, 0);
                    return true;
                }
            }
        }

        private boolean isExpired(Order order) {
            return order.status() == OrderStatus.NOTPAY
                    && order.expiresAt() != null
                    && !order.expiresAt().plus(request.expiryGrace()).isAfter(request.now());
        }

        /** Closes at WeChat Pay, then asks again: a payment that slipped in before the close is applied, not lost. */
        private void closeExpired(Order order) {
            expired.examined++;
            guarded(expired, order.outTradeNo(), null, () -> {
                Order closed;
                try {
                    closed = service.closeAtWeChatPay(order);
                } catch (StateConflictException paidFirst) {
                    // WeChat Pay answered ORDERPAID and closeAtWeChatPay has already applied the payment.
                    recordRacedPayment(order, current(order), "WeChat Pay refused the close: the order was paid");
                    return;
                }
                Optional<PaymentSnapshot> payment = gateway.queryPayment(order);
                if (payment.isPresent() && payment.get().isPaid()) {
                    Order paid = service.applyPaymentNotification(null, payment.get());
                    recordRacedPayment(order, paid, "WeChat Pay reports the order paid after it was closed");
                } else if (closed.status() == OrderStatus.CLOSED && closed.version() != order.version()) {
                    expired.closed++;
                } else {
                    expired.unchanged++;
                }
            });
        }

        private void recordRacedPayment(Order before, Order after, String detail) {
            boolean paid = after.status().isPaid() || after.status() == OrderStatus.REFUNDED;
            expired.repairedOrFailed(paid);
            findings.add(new Finding(
                    before.outTradeNo(),
                    null,
                    FindingKind.PAYMENT_RACED_CLOSE,
                    detail + "; stored " + after.status(),
                    paid));
        }

        private void syncStale(Order order) {
            stale.examined++;
            guarded(stale, order.outTradeNo(), null, () -> {
                Order after = service.sync(order);
                if (after.version() == order.version()) {
                    stale.unchanged++;
                    return;
                }
                stale.repaired++;
                findings.add(
                        new Finding(order.outTradeNo(), null, FindingKind.STALE_STATE, changes(order, after), true));
            });
        }

        /**
         * Compares every line of the date's bill (in partner mode, of each sub-merchant's bill in turn) with the
         * store, then the store's paid orders of the date with the bill; false when it stopped before the end. A
         * sub-merchant's bill that cannot be had is a finding and the others are still checked; the cursor then
         * names it, so the next run starts there.
         */
        private boolean checkBill() {
            if (request.billDate() == null) {
                return true;
            }
            if (position.phase() != ReconcilePhase.BILL) {
                position = new ReconcileCursor(ReconcilePhase.BILL, null, 0, billScopes.get(0));
            }
            // A cursor names the sub-merchant whose bill it stopped in; none: the first bill.
            int first = position.subMchid() == null ? 0 : Math.max(0, billScopes.indexOf(position.subMchid()));
            int unavailable = -1;
            for (int i = first; i < billScopes.size(); i++) {
                String scope = billScopes.get(i);
                if (i > first) {
                    position = new ReconcileCursor(ReconcilePhase.BILL, null, 0, scope);
                }
                BillOutcome outcome = checkBillOf(scope);
                if (outcome == BillOutcome.BOUND_HIT) {
                    return false;
                }
                if (outcome == BillOutcome.UNAVAILABLE && unavailable < 0) {
                    unavailable = i;
                }
            }
            if (unavailable >= 0) {
                position = new ReconcileCursor(ReconcilePhase.BILL, null, 0, billScopes.get(unavailable));
                return false;
            }
            return true;
        }

        private BillOutcome checkBillOf(String scope) {
            TradeBill tradeBill;
            try {
                tradeBill = parser.parse(bills.tradeBill(request.billDate(), scope));
            } catch (BillFormatException | WeChatPayUnavailableException | WeChatPayRejectedException e) {
                bill.failed++;
                findings.add(new Finding(
                        null,
                        null,
                        FindingKind.BILL_UNAVAILABLE,
                        "bill of " + request.billDate() + (scope == null ? "" : " of sub-merchant " + scope) + ": "
                                + e.getMessage(),
                        false));
                return BillOutcome.UNAVAILABLE;
            }
            if (position.afterOutTradeNo() != null) {
                // A resumed run whose bill lines were all handled: it goes on with the store's side.
                return checkStoreAgainstBill(tradeBill, scope) ? BillOutcome.DONE : BillOutcome.BOUND_HIT;
            }
            for (TradeBillRow row : tradeBill.rows()) {
                if (row.lineNumber() <= position.afterBillLine()) {
                    continue;
                }
                if (touched == request.maxOrders()) {
                    boundHit = true;
                    return BillOutcome.BOUND_HIT;
                }
                touched++;
                bill.examined++;
                guarded(bill, row.outTradeNo(), row.outRefundNo(), () -> {
                    if (row.isRefund()) {
                        checkRefundLine(row, scope);
                    } else {
                        checkPaymentLine(row, scope);
                    }
                });
                position = new ReconcileCursor(ReconcilePhase.BILL, null, row.lineNumber(), scope);
            }
            return checkStoreAgainstBill(tradeBill, scope) ? BillOutcome.DONE : BillOutcome.BOUND_HIT;
        }

        /**
         * The other direction: every order the store holds as paid on the bill date (Beijing time) for this bill's
         * merchant or sub-merchant must appear in the bill. One that does not is the mark of a forged or mis-applied
         * payment, or of a bill WeChat Pay has not finished: a query says which, and it is reported for a person
         * either way (a machine never undoes a payment). False when the bound stopped it; the cursor then names the
         * last order looked at.
         */
        private boolean checkStoreAgainstBill(TradeBill tradeBill, String scope) {
            Set<String> billed = new HashSet<>();
            tradeBill.rows().forEach(row -> billed.add(row.outTradeNo()));
            int lastLine = tradeBill.rows().isEmpty()
                    ? position.afterBillLine()
                    : tradeBill.rows().get(tradeBill.rows().size() - 1).lineNumber();
            Instant from = request.billDate().atStartOfDay(BEIJING).toInstant();
            Instant to = request.billDate().plusDays(1).atStartOfDay(BEIJING).toInstant();
            while (true) {
                List<Order> page = store.findPaidBetween(from, to, position.afterOutTradeNo(), request.pageSize());
                for (Order order : page) {
                    if (Objects.equals(order.subMchid(), scope) && !billed.contains(order.outTradeNo())) {
                        if (touched == request.maxOrders()) {
                            boundHit = true;
                            return false;
                        }
                        touched++;
                        bill.examined++;
                        guarded(bill, order.outTradeNo(), null, () -> checkUnbilledPayment(order));
                    }
                    position = new ReconcileCursor(ReconcilePhase.BILL, order.outTradeNo(), lastLine, scope);
                }
                if (page.size() < request.pageSize()) {
                    return true;
                }
            }
        }

        private void checkUnbilledPayment(Order order) {
            Optional<PaymentSnapshot> payment = gateway.queryPayment(order);
            boolean confirmed = payment.isPresent()
                    && payment.get().isPaid()
                    && Objects.equals(payment.get().transactionId(), order.transactionId());
            String says = payment.map(p -> p.tradeState()
                            + (p.transactionId() == null ? "" : ", transaction " + p.transactionId())
                            + (p.successTime() == null ? "" : ", paid at " + p.successTime()))
                    .orElseGet(() -> "no such order" + transactionPaid(order));
            bill.failed++;
            findings.add(new Finding(
                    order.outTradeNo(),
                    null,
                    confirmed ? FindingKind.PAID_NOT_IN_BILL : FindingKind.PAID_NOT_AT_WECHATPAY,
                    "store holds it " + order.status() + ", paid at " + order.paidAt() + " by transaction "
                            + order.transactionId() + "; the bill of " + request.billDate() + " does not list it;"
                            + " WeChat Pay's query says " + says,
                    false));
        }

        /**
         * For an order WeChat Pay does not know under its out_trade_no: what its stored transaction_id paid, by
         * WeChat Pay's query by transaction id (a payment applied to the wrong order shows here).
         */
        private String transactionPaid(Order order) {
            if (order.transactionId() == null) {
                return "";
            }
            return gateway.queryPaymentByTransactionId(order, order.transactionId())
                    .map(p -> "; its transaction " + order.transactionId() + " paid order " + p.outTradeNo() + " ("
                            + p.tradeState() + ")")
                    .orElse("; WeChat Pay holds no transaction " + order.transactionId());
        }

        /** A bill line of this scope names an order the store holds for another merchant scope: for a person. */
        private boolean ofAnotherScope(TradeBillRow row, Order order, String scope) {
            if (Objects.equals(order.subMchid(), scope)) {
                return false;
            }
            open(
                    row,
                    FindingKind.SUB_MERCHANT_MISMATCH,
                    "the bill " + (scope == null ? "of the merchant" : "of sub-merchant " + scope)
                            + " lists it; the store holds it for "
                            + (order.subMchid() == null ? "the merchant itself" : "sub-merchant " + order.subMchid()));
            return true;
        }

        private void checkPaymentLine(TradeBillRow row, String scope) {
            if (!"SUCCESS".equals(row.tradeState())) {
                open(
                        row,
                        FindingKind.UNEXPECTED_BILL_LINE,
                        "line " + row.lineNumber() + " has trade state " + row.tradeState());
                return;
            }
            Optional<Order> stored = store.find(row.outTradeNo());
            if (stored.isEmpty()) {
                open(
                        row,
                        FindingKind.ORDER_MISSING,
                        "paid " + row.orderTotal() + " fen at WeChat Pay (transaction " + row.transactionId()
                                + "), no such order in the store");
                return;
            }
            Order order = stored.get();
            if (ofAnotherScope(row, order, scope)) {
                return;
            }
            if (row.orderTotal() != order.total()) {
                open(
                        row,
                        FindingKind.AMOUNT_MISMATCH,
                        "bill says " + row.orderTotal() + " fen, store says " + order.total() + " fen");
                return;
            }
            if (holdsPayment(order)) {
                bill.unchanged++;
                return;
            }
            repairPayment(row, order);
        }

        private void checkRefundLine(TradeBillRow row, String scope) {
            Optional<Order> stored = store.find(row.outTradeNo());
            if (stored.isEmpty()) {
                open(
                        row,
                        FindingKind.ORDER_MISSING,
                        "refund of " + row.requestedRefund()
                                + " fen at WeChat Pay for an order the store does not have");
                return;
            }
            Order order = stored.get();
            if (ofAnotherScope(row, order, scope) || !holdsPayment(order) && !repairPayment(row, order)) {
                return;
            }
            order = current(order);
            Optional<Refund> refund = order.refund(row.outRefundNo());
            if (refund.isEmpty()) {
                Optional<RefundSnapshot> known = gateway.queryRefund(order, row.outRefundNo());
                if (known.isEmpty()) {
                    open(
                            row,
                            FindingKind.REFUND_MISSING,
                            "refund of " + row.requestedRefund()
                                    + " fen is in the bill but neither in the store nor known to a query");
                    return;
                }
                Order updated = service.applyRefundNotification(null, known.get());
                bill.repaired++;
                findings.add(new Finding(
                        row.outTradeNo(),
                        row.outRefundNo(),
                        FindingKind.REFUND_MISSING,
                        "recorded from WeChat Pay: " + known.get().refund() + " fen, "
                                + known.get().status() + "; order now " + updated.status(),
                        true));
                return;
            }
            if (row.requestedRefund() != refund.get().amount()) {
                open(
                        row,
                        FindingKind.AMOUNT_MISMATCH,
                        "bill says a refund of " + row.requestedRefund() + " fen, store says "
                                + refund.get().amount() + " fen");
                return;
            }
            // A bill PROCESSING line says nothing the store may not already have moved past.
            if (row.refundStatus() == null
                    || "PROCESSING".equals(row.refundStatus())
                    || row.refundStatus().equals(refund.get().status().name())) {
                bill.unchanged++;
                return;
            }
            if (refund.get().status() == RefundStatus.REJECTED) {
                // Refused when applied for, paid out by the bill's word: WeChat Pay's query decides (see Order).
                Optional<RefundSnapshot> known = gateway.queryRefund(order, row.outRefundNo());
                Order after = known.isPresent() ? service.applyRefundNotification(null, known.get()) : order;
                recordRefundRepair(row, refund.get(), after);
                return;
            }
            if (refund.get().status().isFinal()) {
                open(
                        row,
                        FindingKind.STATE_MISMATCH,
                        "bill says refund " + row.refundStatus() + ", store says "
                                + refund.get().status());
                return;
            }
            recordRefundRepair(row, refund.get(), service.sync(order));
        }

        private void recordRefundRepair(TradeBillRow row, Refund before, Order after) {
            String now = after.refund(row.outRefundNo()).orElseThrow().status().name();
            boolean repaired = now.equals(row.refundStatus());
            bill.repairedOrFailed(repaired);
            findings.add(new Finding(
                    row.outTradeNo(),
                    row.outRefundNo(),
                    FindingKind.STATE_MISMATCH,
                    "bill says refund " + row.refundStatus() + ", store had " + before.status()
                            + ", WeChat Pay now says " + now,
                    repaired));
        }

        /** The bill says paid and the store does not: a query decides. True when the store now holds the payment. */
        private boolean repairPayment(TradeBillRow row, Order order) {
            Optional<PaymentSnapshot> payment = gateway.queryPayment(order);
            boolean paid = payment.isPresent() && payment.get().isPaid();
            Order after = paid ? service.applyPaymentNotification(null, payment.get()) : order;
            boolean repaired = holdsPayment(after);
            String detail = "bill says paid, store had " + order.status() + ", WeChat Pay query says "
                    + payment.map(PaymentSnapshot::tradeState).orElse("no such order");
            if (!row.isRefund() || !repaired) {
                bill.repairedOrFailed(repaired);
            }
            findings.add(new Finding(order.outTradeNo(), null, FindingKind.STATE_MISMATCH, detail, repaired));
            return repaired;
        }

        private void open(TradeBillRow row, FindingKind kind, String detail) {
            bill.failed++;
            findings.add(new Finding(row.outTradeNo(), row.outRefundNo(), kind, detail, false));
        }

        /** Runs one order's step: WeChat Pay's failures become findings, the store's stop the run. */
        private void guarded(Counts counts, String outTradeNo, String outRefundNo, Runnable step) {
            try {
                step.run();
            } catch (StoreUnavailableException e) {
                throw e;
            } catch (WeChatPayUnavailableException | WeChatPayRejectedException e) {
                counts.failed++;
                findings.add(new Finding(outTradeNo, outRefundNo, FindingKind.WECHATPAY_FAILED, e.getMessage(), false));
            } catch (NotificationMismatchException e) {
                counts.failed++;
                findings.add(new Finding(outTradeNo, outRefundNo, FindingKind.CONTRADICTION, e.getMessage(), false));
            } catch (PaymentException e) {
                counts.failed++;
                findings.add(new Finding(
                        outTradeNo,
                        outRefundNo,
                        FindingKind.WECHATPAY_FAILED,
                        e.kind() + ": " + e.getMessage(),
                        false));
            }
        }

        private Order current(Order order) {
            return store.find(order.outTradeNo()).orElse(order);
        }
    }

    private static boolean holdsPayment(Order order) {
        return order.status().holdsPayment();
    }

    /** "NOTPAY → PAID; refund X PROCESSING → SUCCESS" */
    private static String changes(Order before, Order after) {
        List<String> parts = new ArrayList<>();
        if (before.status() != after.status()) {
            parts.add(before.status() + " → " + after.status());
        }
        for (Refund refund : after.refunds()) {
            Optional<Refund> old = before.refund(refund.outRefundNo());
            if (old.isEmpty()) {
                parts.add("refund " + refund.outRefundNo() + " recorded as " + refund.status());
            } else if (old.get().status() != refund.status()
                    || !Objects.equals(old.get().refundId(), refund.refundId())) {
                parts.add("refund " + refund.outRefundNo() + " " + old.get().status() + " → " + refund.status());
            }
        }
        return parts.isEmpty() ? "updated to version " + after.version() : String.join("; ", parts);
    }

    /** How checking one bill ended. */
    private enum BillOutcome {
        DONE,
        BOUND_HIT,
        UNAVAILABLE
    }

    @FunctionalInterface
    private interface OrderStep {
        void handle(Order order);
    }

    /** Mutable tallies of one phase. */
    private static final class Counts {
        int examined;
        int closed;
        int repaired;
        int unchanged;
        int failed;

        /** Counts one order's repair: made, or attempted and failed. */
        void repairedOrFailed(boolean made) {
            if (made) {
                repaired++;
            } else {
                failed++;
            }
        }

        PhaseCounts toRecord() {
            return new PhaseCounts(examined, closed, repaired, unchanged, failed);
        }
    }
}
