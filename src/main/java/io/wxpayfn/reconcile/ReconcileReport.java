package io.wxpayfn.reconcile;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What a reconcile run found and fixed: plain records and lists, so it serialises to JSON as it is.
 * {@code cursor} is null when the run finished every phase; otherwise it is where the next run should resume,
 * because the per-run bound was hit ({@code boundHit}), the store failed ({@code abortedBy}) or the bill could
 * not be had.
 */
public record ReconcileReport(
        Instant startedAt,
        LocalDate billDate,
        PhaseCounts expired,
        PhaseCounts stale,
        PhaseCounts bill,
        List<Finding> findings,
        ReconcileCursor cursor,
        boolean boundHit,
        String abortedBy) {

    private static final int FINDINGS_IN_SUMMARY = 10;

    public ReconcileReport {
        findings = List.copyOf(findings);
    }

    /** Orders (or bill lines) of one phase: examined, then exactly one outcome each. */
    public record PhaseCounts(int examined, int closed, int repaired, int unchanged, int failed) {

        /** True when the phase wrote nothing to the store. */
        public boolean changedNothing() {
            return closed == 0 && repaired == 0;
        }
    }

    /** One thing that was not as it should be; {@code repaired} says whether this run put it right. */
    public record Finding(String outTradeNo, String outRefundNo, FindingKind kind, String detail, boolean repaired) {}

    public enum FindingKind {
        /** WeChat Pay took the payment while the order was being closed; it is stored as paid. */
        PAYMENT_RACED_CLOSE,
        /** A stale order or refund had moved on at WeChat Pay; the answer was applied. */
        STALE_STATE,
        /** The bill names an order the store does not have. */
        ORDER_MISSING,
        /** The bill names a refund the store does not have. */
        REFUND_MISSING,
        /** The bill and the store disagree on an amount. */
        AMOUNT_MISMATCH,
        /** The bill says paid or refunded and the store does not. */
        STATE_MISMATCH,
        /** WeChat Pay's answer contradicts the stored order; needs a person. */
        CONTRADICTION,
        /**
         * The store holds the order as paid on the bill date, the bill does not list it, and WeChat Pay's query does
         * not confirm the payment: a forged or mis-applied payment. Never undone by a machine; needs a person.
         */
        PAID_NOT_AT_WECHATPAY,
        /** The store and WeChat Pay's query agree the order was paid, but the bill of the date does not list it. */
        PAID_NOT_IN_BILL,
        /** WeChat Pay failed or refused for this order; the next run tries again. */
        WECHATPAY_FAILED,
        /** The bill of the date could not be downloaded or read. */
        BILL_UNAVAILABLE,
        /** A sub-merchant's bill lists an order the store holds for another sub-merchant (or for none). */
        SUB_MERCHANT_MISMATCH,
        /** A bill line of a kind reconcile does not know (neither a successful payment nor a refund). */
        UNEXPECTED_BILL_LINE
    }

    /** True when the run wrote nothing: the store already agreed with WeChat Pay everywhere it looked. */
    public boolean changedNothing() {
        return expired.changedNothing() && stale.changedNothing() && bill.changedNothing();
    }

    /** A few readable lines: the outcome, the counts per phase, the first findings. */
    public String summary() {
        StringBuilder text =
                new StringBuilder("Reconcile run at ").append(startedAt).append(": ");
        if (abortedBy != null) {
            text.append("stopped by a store failure (").append(abortedBy).append(")");
        } else if (boundHit) {
            text.append("stopped at the per-run bound");
        } else if (cursor != null) {
            text.append("bill phase not done");
        } else {
            text.append("complete");
        }
        text.append('\n');
        line(text, "expired unpaid orders", expired);
        line(text, "stale orders and refunds", stale);
        line(text, billDate == null ? "bill (no date given)" : "bill of " + billDate, bill);
        long repaired = findings.stream().filter(Finding::repaired).count();
        text.append("findings: ")
                .append(findings.size())
                .append(" (")
                .append(repaired)
                .append(" repaired, ")
                .append(findings.size() - repaired)
                .append(" open)\n");
        findings.stream()
                .limit(FINDINGS_IN_SUMMARY)
                .forEach(f -> text.append("  ")
                        .append(f.repaired() ? "repaired " : "OPEN ")
                        .append(f.kind())
                        .append(' ')
                        .append(f.outTradeNo())
                        .append(f.outRefundNo() == null ? "" : "/" + f.outRefundNo())
                        .append(": ")
                        .append(f.detail())
                        .append('\n'));
        if (findings.size() > FINDINGS_IN_SUMMARY) {
            text.append("  … and ")
                    .append(findings.size() - FINDINGS_IN_SUMMARY)
                    .append(" more\n");
        }
        if (cursor != null) {
            text.append("resume from: ")
                    .append(cursor.phase())
                    .append(
                            cursor.phase() == ReconcilePhase.BILL
                                    ? (cursor.subMchid() == null ? "" : " of sub-merchant " + cursor.subMchid())
                                            + " after line " + cursor.afterBillLine()
                                    : cursor.afterOutTradeNo() == null
                                            ? " from the start"
                                            : " after " + cursor.afterOutTradeNo())
                    .append('\n');
        }
        return text.toString();
    }

    private static void line(StringBuilder text, String what, PhaseCounts counts) {
        text.append(what)
                .append(": examined ")
                .append(counts.examined())
                .append(", closed ")
                .append(counts.closed())
                .append(", repaired ")
                .append(counts.repaired())
                .append(", unchanged ")
                .append(counts.unchanged())
                .append(", failed ")
                .append(counts.failed())
                .append('\n');
    }
}
