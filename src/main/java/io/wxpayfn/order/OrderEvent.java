package io.wxpayfn.order;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One event of an order, kept in the order document (the outbox) from the write that recorded it. {@code id} is
 * stable ({@code evt_<outTradeNo>_<sequence>}), so a receiver dedupes on it; {@code sequence} counts the order's
 * events from 1. {@code order} is the order as it stood right after the event (without its own events), which is what
 * the shop's service is sent; it is dropped once the event is delivered. {@code outRefundNo} names the refund of a
 * REFUND_* event; {@code notificationId} and {@code alert} belong to an ORDER_ALERT.
 */
public record OrderEvent(
        String id,
        int sequence,
        OrderEventType type,
        String outRefundNo,
        String notificationId,
        String alert,
        Instant createdAt,
        Order order,
        EventDelivery delivery) {

    private static final Pattern ID = Pattern.compile("evt_(.{1,64})_([1-9][0-9]{0,5})");

    public OrderEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(delivery, "delivery");
    }

    /** The stable id of an order's {@code sequence}th event. */
    public static String idOf(String outTradeNo, int sequence) {
        return "evt_" + outTradeNo + "_" + sequence;
    }

    /** The outTradeNo an event id names, when it is one. */
    public static Optional<String> outTradeNoOf(String eventId) {
        Matcher id = ID.matcher(eventId == null ? "" : eventId);
        return id.matches() ? Optional.of(id.group(1)) : Optional.empty();
    }

    /** The outTradeNo of the order this event belongs to. */
    public String outTradeNo() {
        return outTradeNoOf(id).orElseThrow();
    }

    public EventState state() {
        return delivery.state();
    }

    OrderEvent withDelivery(EventDelivery newDelivery) {
        // A delivered event's copy of the order is no longer needed: the document stays small.
        Order kept = newDelivery.state() == EventState.DELIVERED ? null : order;
        return new OrderEvent(id, sequence, type, outRefundNo, notificationId, alert, createdAt, kept, newDelivery);
    }

    /** A new pending event of {@code after}, numbered after its existing ones. */
    static OrderEvent recorded(
            Order after,
            int sequence,
            OrderEventType type,
            String outRefundNo,
            String notificationId,
            String alert,
            Instant now) {
        return new OrderEvent(
                idOf(after.outTradeNo(), sequence),
                sequence,
                type,
                outRefundNo,
                notificationId,
                alert,
                now,
                after.eventSnapshot(),
                EventDelivery.pendingFrom(now));
    }

    /**
     * The events a transition from {@code before} to {@code after} produces: the order's own (paid, closed, payment
     * failed), then one per refund whose state it changed, in the order's refund order. A refund's new PROCESSING
     * (applied for, or applied for again after a refusal) is REFUND_REQUESTED; its other states name themselves.
     */
    static List<OrderEvent> between(Order before, Order after, Instant now) {
        List<OrderEventType> types = new ArrayList<>();
        List<String> refunds = new ArrayList<>();
        if (after.status() != before.status()) {
            OrderEventType own = switch (after.status()) {
                case PAID -> before.status().holdsPayment() ? null : OrderEventType.ORDER_PAID;
                case CLOSED -> OrderEventType.ORDER_CLOSED;
                case PAYERROR -> OrderEventType.ORDER_PAYMENT_FAILED;
                default -> null;
            };
            if (own != null) {
                types.add(own);
                refunds.add(null);
            }
        }
        for (Refund refund : after.refunds()) {
            RefundStatus was =
                    before.refund(refund.outRefundNo()).map(Refund::status).orElse(null);
            if (refund.status() != was) {
                types.add(
                        switch (refund.status()) {
                            case PROCESSING -> OrderEventType.REFUND_REQUESTED;
                            case SUCCESS -> OrderEventType.REFUND_SUCCEEDED;
                            case ABNORMAL -> OrderEventType.REFUND_ABNORMAL;
                            case CLOSED -> OrderEventType.REFUND_CLOSED;
                            case REJECTED -> OrderEventType.REFUND_REJECTED;
                        });
                refunds.add(refund.outRefundNo());
            }
        }
        List<OrderEvent> events = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            events.add(recorded(after, before.events().size() + i + 1, types.get(i), refunds.get(i), null, null, now));
        }
        return events;
    }
}
