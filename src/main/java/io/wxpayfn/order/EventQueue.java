package io.wxpayfn.order;

/** The two kinds of order whose events are not all delivered, as the stores index them. */
public enum EventQueue {
    /** The head event is pending: keyed by when it is next due ({@link Outbox#dueAt}). */
    PENDING,
    /** The head event is parked: keyed by when it was parked ({@link Outbox#parkedAt}). */
    PARKED
}
