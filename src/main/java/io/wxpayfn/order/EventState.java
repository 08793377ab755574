package io.wxpayfn.order;

/** Where one order event stands with the shop's service. */
public enum EventState {
    /** Not acknowledged yet: attempted when due, after every earlier event of its order. */
    PENDING,
    /** The shop's service answered 2xx. */
    DELIVERED,
    /** Not acknowledged within the delivery window: kept, reported, and held with the events after it. */
    PARKED
}
