package io.wxpayfn.order;

/**
 * What happened to an order, as its shop's own service learns it. Each is recorded in the same conditional write as
 * the transition it reports (an {@link #ORDER_ALERT} in one write of its own), so it exists exactly when that did.
 */
public enum OrderEventType {
    /** WeChat Pay took the payment: ship the goods. Also when it arrives over a local CLOSED or PAYERROR. */
    ORDER_PAID,
    /** Closed unpaid (by its owner, the operator, reconcile or WeChat Pay): no payment can arrive any more. */
    ORDER_CLOSED,
    /** WeChat Pay reported the payment failed (PAYERROR). */
    ORDER_PAYMENT_FAILED,
    /**
     * A refund was applied for (by the owner within the policy, the operator, or on the merchant platform and first
     * seen in flight), or a refused one was applied for again: stop shipping, the money is on its way back.
     */
    REFUND_REQUESTED,
    /** The refund reached the payer. */
    REFUND_SUCCEEDED,
    /** WeChat Pay could not pay the refund back (a closed card): it holds the money until the merchant acts. */
    REFUND_ABNORMAL,
    /** WeChat Pay closed the refund without paying it. */
    REFUND_CLOSED,
    /** WeChat Pay refused the refund application; nothing is or will be refunded under it. */
    REFUND_REJECTED,
    /**
     * A verified WeChat Pay notification contradicted the order (amount, merchant, payer, transaction): nothing was
     * changed, a person must look. Once per notification id, however often WeChat Pay sends it again.
     */
    ORDER_ALERT
}
