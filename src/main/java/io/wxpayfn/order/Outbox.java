package io.wxpayfn.order;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The outbox inside an order document: its events in sequence, delivered one at a time. Only the head (the first
 * event not delivered) may be sent, so a receiver gets an order's events in order; a parked head holds the events
 * after it until the operator asks for them again. Each change is the next version of the order (updatedAt kept),
 * written conditionally like any transition; empty means there is nothing to change.
 */
public final class Outbox {

    private Outbox() {}

    /** The first event of the order not delivered yet. */
    public static Optional<OrderEvent> head(Order order) {
        return order.events().stream()
                .filter(e -> e.state() != EventState.DELIVERED)
                .findFirst();
    }

    /** Every event of the order not delivered yet, in sequence. */
    public static List<OrderEvent> undelivered(Order order) {
        return order.events().stream()
                .filter(e -> e.state() != EventState.DELIVERED)
                .toList();
    }

    /** When the head may next be sent; null when it is parked or every event is delivered. Indexed by every store. */
    public static Instant dueAt(Order order) {
        return head(order)
                .filter(e -> e.state() == EventState.PENDING)
                .map(e -> e.delivery().nextAttemptAt())
                .orElse(null);
    }

    /** When the head was parked; null when it is not. Indexed by every store. */
    public static Instant parkedAt(Order order) {
        return head(order)
                .filter(e -> e.state() == EventState.PARKED)
                .map(e -> e.delivery().parkedAt())
                .orElse(null);
    }

    static List<OrderEvent> appended(List<OrderEvent> events, List<OrderEvent> added) {
        List<OrderEvent> all = new ArrayList<>(events);
        all.addAll(added);
        return all;
    }

    /** Takes the head for one attempt: counts it and leases it until {@code now + lease}; only when it is due. */
    public static Optional<Order> claim(Order order, String eventId, Instant now, Duration lease) {
        return head(order)
                .filter(e -> e.id().equals(eventId)
                        && e.state() == EventState.PENDING
                        && !e.delivery().nextAttemptAt().isAfter(now))
                .map(e -> replaced(order, e, e.delivery().attempted(now, now.plus(lease)), null));
    }

    /**
     * Records that the shop's service acknowledged the event (whoever else may have touched it since: it has it), and
     * opens the window of the event after it, which is due at once.
     */
    public static Optional<Order> acknowledged(Order order, String eventId, Instant now) {
        return find(order, eventId)
                .filter(e -> e.state() != EventState.DELIVERED)
                .map(e -> replaced(order, e, e.delivery().delivered(now), now));
    }

    /**
     * Records a failed attempt, if it is still the latest one: the event is due again after the schedule's delay, or
     * parked when that would fall outside its window.
     */
    public static Optional<Order> failed(
            Order order, String eventId, int attempt, String failure, Instant now, DeliverySchedule schedule) {
        return find(order, eventId)
                .filter(e -> e.state() == EventState.PENDING && e.delivery().attempts() == attempt)
                .map(e -> replaced(
                        order,
                        e,
                        schedule.retryAfterFailure(e.delivery(), now)
                                .map(next -> e.delivery().retryAt(next, failure))
                                .orElseGet(() -> e.delivery().parked(now, failure)),
                        null));
    }

    /** Parks a due head whose window has closed (never acknowledged in time, or recorded while nobody delivered). */
    public static Optional<Order> parkedIfExpired(Order order, Instant now, DeliverySchedule schedule) {
        return head(order)
                .filter(e -> e.state() == EventState.PENDING
                        && !e.delivery().nextAttemptAt().isAfter(now)
                        && schedule.expired(e.delivery(), now))
                .map(e -> replaced(
                        order,
                        e,
                        e.delivery()
                                .parked(
                                        now,
                                        e.delivery().lastFailure() == null
                                                ? "not attempted within "
                                                        + schedule.window().toHours() + " h of being recorded"
                                                : e.delivery().lastFailure()),
                        null));
    }

    /** The operator's redelivery: every undelivered event of the order pending again, with a fresh window from now. */
    public static Optional<Order> reopened(Order order, Instant now) {
        if (head(order).isEmpty()) {
            return Optional.empty();
        }
        List<OrderEvent> events = new ArrayList<>();
        for (OrderEvent event : order.events()) {
            events.add(
                    event.state() == EventState.DELIVERED
                            ? event
                            : event.withDelivery(event.delivery().reopened(now)));
        }
        return Optional.of(order.withEvents(events));
    }

    /**
     * Records an ORDER_ALERT for a verified notification that contradicted the order, once per notification id: the
     * transition it asked for was refused, so this is the only trace the order keeps of it.
     */
    public static Optional<Order> alerted(Order order, String notificationId, String alert, Instant now) {
        if (notificationId == null
                || order.events().stream()
                        .anyMatch(e ->
                                e.type() == OrderEventType.ORDER_ALERT && notificationId.equals(e.notificationId()))) {
            return Optional.empty();
        }
        OrderEvent event = OrderEvent.recorded(
                order, order.events().size() + 1, OrderEventType.ORDER_ALERT, null, notificationId, alert, now);
        return Optional.of(order.withEvents(appended(order.events(), List.of(event))));
    }

    private static Optional<OrderEvent> find(Order order, String eventId) {
        return order.events().stream().filter(e -> e.id().equals(eventId)).findFirst();
    }

    /**
     * The order with {@code event}'s delivery replaced; with {@code promotedAt}, the event after it (then the head)
     * gets its window opened and is due from that moment.
     */
    private static Order replaced(Order order, OrderEvent event, EventDelivery delivery, Instant promotedAt) {
        List<OrderEvent> events = new ArrayList<>(order.events());
        int index = events.indexOf(event);
        events.set(index, event.withDelivery(delivery));
        if (promotedAt != null
                && index + 1 < events.size()
                && events.get(index + 1).state() == EventState.PENDING) {
            OrderEvent successor = events.get(index + 1);
            events.set(index + 1, successor.withDelivery(successor.delivery().reopened(promotedAt)));
        }
        return order.withEvents(events);
    }
}
