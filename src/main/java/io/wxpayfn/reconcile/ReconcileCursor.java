package io.wxpayfn.reconcile;

/**
 * Where a run stopped, so the next one can go on from there: the phase, and within it the last order (scans, by
 * outTradeNo) or the last bill line handled; in the bill phase an {@code afterOutTradeNo} means every line was handled
 * and the walk from the store's paid orders to the bill stopped after that order. Starting over instead is safe too,
 * since every step is idempotent.
 */
public record ReconcileCursor(ReconcilePhase phase, String afterOutTradeNo, int afterBillLine) {

    /** The start of a complete run. */
    public static ReconcileCursor start() {
        return new ReconcileCursor(ReconcilePhase.EXPIRED, null, 0);
    }
}
