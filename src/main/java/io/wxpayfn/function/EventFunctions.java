package io.wxpayfn.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.funqy.Funq;
import io.wxpayfn.order.EventQueue;
import io.wxpayfn.order.EventQueuePosition;
import io.wxpayfn.order.InvalidRequestException;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderEvent;
import io.wxpayfn.order.OrderEventDispatcher;
import io.wxpayfn.order.Outbox;
import io.wxpayfn.order.StateConflictException;
import io.wxpayfn.order.WeChatPayRules;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code deliverEvents} (the timer's sweeper, with the reconcile key), {@code listEvents} and {@code redeliverEvents}
 * (the operator's): order events on their way to MERCHANT_EVENTS_URL.
 */
public class EventFunctions {

    /** What one sweep may spend before it stops starting attempts: inside the deployed 60 s with a 15 s attempt. */
    static final Duration SWEEP_BUDGET = Duration.ofSeconds(40);
    /** The same for a redelivery the operator waits for: inside the deployed 30 s. */
    static final Duration REDELIVERY_BUDGET = Duration.ofSeconds(12);

    private static final Pattern CURSOR = Pattern.compile("(-?[0-9]{1,19})\\.([0-9A-Za-z_\\-|*]{1,64})");
    private static final Pattern EVENT_ID =
            Pattern.compile("evt_" + WeChatPayRules.OUT_TRADE_NO_REGEX + "_[1-9][0-9]{0,5}");

    /** The input of deliverEvents: how many orders' due events one sweep takes at most. */
    public record DeliverEventsInput(Integer maxOrders) {

        public DeliverEventsInput {
            maxOrders = InputFields.range("maxOrders", maxOrders == null ? 200 : maxOrders, 1, 1000);
        }
    }

    /** The input of listEvents: which queue (PARKED unless said), a page size and the previous page's cursor. */
    public record ListEventsInput(EventQueue state, Integer limit, String cursor) {

        public ListEventsInput {
            state = state == null ? EventQueue.PARKED : state;
            limit = InputFields.range("limit", limit == null ? 20 : limit, 1, 50);
            InputFields.form("cursor", cursor, CURSOR, "the nextCursor of the previous page");
        }
    }

    /** The input of redeliverEvents: one event by id, or {@code "all": true} for every parked order (up to maxOrders). */
    public record RedeliverEventsInput(String eventId, Boolean all, Integer maxOrders) {

        public RedeliverEventsInput {
            InputFields.form("eventId", eventId, EVENT_ID, "an event id, evt_<outTradeNo>_<sequence>");
            maxOrders = InputFields.range("maxOrders", maxOrders == null ? 100 : maxOrders, 1, 1000);
        }
    }

    @Inject
    Callers callers;

    @Inject
    OrderEventDispatcher dispatcher;

    @Inject
    EventDeliverySwitch delivery;

    @Funq("deliverEvents")
    public Envelope deliverEvents(DeliverEventsInput input) {
        return Responses.respond(() -> {
            callers.reconciler();
            delivery.require();
            return dispatcher.sweep(input.maxOrders(), SWEEP_BUDGET);
        });
    }

    @Funq("listEvents")
    public Envelope listEvents(ListEventsInput input) {
        return Responses.respond(() -> {
            callers.operator();
            EventQueuePosition after = input.cursor() == null ? null : position(input.cursor());
            OrderEventDispatcher.QueuePage page = dispatcher.queues(input.state(), after, input.limit());
            return new QueueList(
                    page.orders().stream().map(QueueView::of).toList(),
                    page.next() == null ? null : cursor(page.next()));
        });
    }

    @Funq("redeliverEvents")
    public Envelope redeliverEvents(RedeliverEventsInput input) {
        return Responses.respond(() -> {
            callers.operator();
            boolean everyParked = Boolean.TRUE.equals(input.all());
            if ((input.eventId() == null) == !everyParked) {
                throw new InvalidRequestException("eventId", "send either eventId or \"all\": true");
            }
            delivery.require();
            if (everyParked) {
                return dispatcher.redeliverParked(input.maxOrders(), REDELIVERY_BUDGET);
            }
            return dispatcher.redeliver(input.eventId(), REDELIVERY_BUDGET);
        });
    }

    /** The data of a listEvents answer; {@code nextCursor} is null on the last page. */
    public record QueueList(List<QueueView> queues, String nextCursor) {}

    /** One order's undelivered events, in sequence; {@code dueAt} or {@code parkedAt} is the head's. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QueueView(String outTradeNo, Instant dueAt, Instant parkedAt, List<EventView> events) {

        static QueueView of(Order order) {
            return new QueueView(
                    order.outTradeNo(),
                    Outbox.dueAt(order),
                    Outbox.parkedAt(order),
                    Outbox.undelivered(order).stream().map(EventView::of).toList());
        }
    }

    /** One event as the operator sees it: what it is and how its delivery stands. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventView(
            String id,
            String type,
            int sequence,
            String outRefundNo,
            String alert,
            Instant createdAt,
            String state,
            int attempts,
            Instant windowOpenedAt,
            Instant nextAttemptAt,
            Instant lastAttemptAt,
            String lastFailure,
            Instant parkedAt) {

        static EventView of(OrderEvent event) {
            return new EventView(
                    event.id(),
                    event.type().name(),
                    event.sequence(),
                    event.outRefundNo(),
                    event.alert(),
                    event.createdAt(),
                    event.state().name(),
                    event.delivery().attempts(),
                    event.delivery().windowOpenedAt(),
                    event.delivery().nextAttemptAt(),
                    event.delivery().lastAttemptAt(),
                    event.delivery().lastFailure(),
                    event.delivery().parkedAt());
        }
    }

    private static String cursor(EventQueuePosition position) {
        long nanos = Math.addExact(
                Math.multiplyExact(position.at().getEpochSecond(), 1_000_000_000L),
                position.at().getNano());
        return nanos + "." + position.outTradeNo();
    }

    private static EventQueuePosition position(String cursor) {
        Matcher parts = CURSOR.matcher(cursor);
        if (!parts.matches()) {
            throw new InvalidRequestException("cursor", "must be the nextCursor of the previous page");
        }
        try {
            return new EventQueuePosition(Instant.ofEpochSecond(0, Long.parseLong(parts.group(1))), parts.group(2));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("cursor", "must be the nextCursor of the previous page");
        }
    }

    /** Whether this deployment delivers events at all (MERCHANT_EVENTS_URL set); listing works either way. */
    public interface EventDeliverySwitch {

        boolean enabled();

        /** @throws StateConflictException when events are recorded here but not delivered */
        default void require() {
            if (!enabled()) {
                throw new StateConflictException("order events are recorded but not delivered: MERCHANT_EVENTS_URL"
                        + " is not set for this function");
            }
        }
    }
}
