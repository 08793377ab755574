package io.wxpayfn.order;

import java.time.Instant;

/**
 * The delivery record of one event. {@code windowOpenedAt} is when its delivery window opened: when it was recorded
 * (or its predecessor acknowledged, if it had to wait), or when the operator asked for it again. {@code nextAttemptAt}
 * is when it may next be sent; while an attempt is in flight it is the end of that attempt's lease.
 */
public record EventDelivery(
        EventState state,
        int attempts,
        Instant windowOpenedAt,
        Instant nextAttemptAt,
        Instant lastAttemptAt,
        String lastFailure,
        Instant deliveredAt,
        Instant parkedAt) {

    static EventDelivery pendingFrom(Instant now) {
        return new EventDelivery(EventState.PENDING, 0, now, now, null, null, null, null);
    }

    EventDelivery attempted(Instant now, Instant leaseEnd) {
        return new EventDelivery(state, attempts + 1, windowOpenedAt, leaseEnd, now, lastFailure, null, null);
    }

    EventDelivery retryAt(Instant next, String failure) {
        return new EventDelivery(state, attempts, windowOpenedAt, next, lastAttemptAt, failure, null, null);
    }

    EventDelivery delivered(Instant now) {
        return new EventDelivery(
                EventState.DELIVERED, attempts, windowOpenedAt, null, lastAttemptAt, lastFailure, now, null);
    }

    EventDelivery parked(Instant now, String failure) {
        return new EventDelivery(EventState.PARKED, attempts, windowOpenedAt, null, lastAttemptAt, failure, null, now);
    }

    /** A fresh window from {@code now}, attempts counted anew; the last failure stays for the record. */
    EventDelivery reopened(Instant now) {
        return new EventDelivery(EventState.PENDING, 0, now, now, lastAttemptAt, lastFailure, null, null);
    }
}
