package io.wxpayfn.reconcile;

/** The steps of a reconcile run, in the order they run. */
public enum ReconcilePhase {
    /** Unpaid orders past their expiry: closed at WeChat Pay, then queried for a payment that raced the close. */
    EXPIRED,
    /** Unpaid orders and unfinished refunds left alone longer than the stale threshold: queried and applied. */
    STALE,
    /** The trade bill of a date compared line by line with the store, then the store's payments of that date. */
    BILL
}
