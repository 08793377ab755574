package io.wxpayfn.reconcile;

/**
 * Where a run stopped, so the next one can go on from there: the phase, and within it the last order (scans, by
 * outTradeNo) or the last bill line handled; in the bill phase an {@code afterOutTradeNo} means every line was handled
 * and the walk from the store's paid orders to the bill stopped after that order. In partner mode the bill phase
 * takes the sub-merchants' bills one after the other and {@code subMchid} names the one being worked on (null: the
 * first, or the merchant's only bill in direct mode). Starting over instead is safe too, since every step is
 * idempotent.
 */
public record ReconcileCursor(ReconcilePhase phase, String afterOutTradeNo, int afterBillLine, String subMchid) {

    /** A position of a direct merchant's run, or in a partner run's first sub-merchant bill. */
    public ReconcileCursor(ReconcilePhase phase, String afterOutTradeNo, int afterBillLine) {
        this(phase, afterOutTradeNo, afterBillLine, null);
    }

    /** The start of a complete run. */
    public static ReconcileCursor start() {
        return new ReconcileCursor(ReconcilePhase.EXPIRED, null, 0);
    }
}
