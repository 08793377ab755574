package io.wxpayfn.order;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When an order event is sent again after its shop's service failed to acknowledge it, and when it is given up on.
 * After the n-th failed attempt the next comes {@code backoff[n-1]} later (the last delay repeating), as long as it
 * falls within {@code window} of the event's delivery window opening; otherwise the event is parked. {@code lease} is
 * how long one attempt holds the event, so no other deliverer sends it (or the event after it) meanwhile: longer
 * than the attempt's own timeout, and what a crashed deliverer costs before another takes over.
 */
public record DeliverySchedule(List<Duration> backoff, Duration window, Duration lease) {

    /** 15 s, 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, then every 6 h. */
    public static final List<Duration> STANDARD_BACKOFF = List.of(
            Duration.ofSeconds(15),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(15),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(4),
            Duration.ofHours(6));
    /** Three days: a service that is down for a day (or a long weekend) still gets every event without a person. */
    public static final Duration STANDARD_WINDOW = Duration.ofHours(72);

    public DeliverySchedule {
        backoff = List.copyOf(backoff);
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(lease, "lease");
        if (backoff.isEmpty() || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("a schedule needs at least one delay and a positive lease");
        }
    }

    /** The standard backoff and window, with the lease that fits the attempt timeout. */
    public static DeliverySchedule standard(Duration lease) {
        return new DeliverySchedule(STANDARD_BACKOFF, STANDARD_WINDOW, lease);
    }

    /** When to try again after a failed attempt made at {@code now}; empty when that would be past the window. */
    Optional<Instant> retryAfterFailure(EventDelivery delivery, Instant now) {
        Instant next = now.plus(backoff.get(Math.min(Math.max(delivery.attempts(), 1), backoff.size()) - 1));
        return next.isAfter(windowEnd(delivery)) ? Optional.empty() : Optional.of(next);
    }

    /** True when the event's window has closed: it is parked rather than sent. */
    boolean expired(EventDelivery delivery, Instant now) {
        return now.isAfter(windowEnd(delivery));
    }

    private Instant windowEnd(EventDelivery delivery) {
        return delivery.windowOpenedAt().plus(window);
    }
}
