package io.wxpayfn.order;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers order events to the shop's service, at least once and in order per order. An attempt first leases the
 * head event with a conditional write (so no other deliverer, on this instance or another, sends it or the event after
 * it meanwhile), then sends it, then records the outcome with another: acknowledged moves on to the next event,
 * anything else schedules a retry or parks the event ({@link DeliverySchedule}). A deliverer that dies mid-attempt
 * leaves a lease that runs out, after which the sweeper sends the event again.
 */
public final class OrderEventDispatcher {

    private static final System.Logger LOG = System.getLogger(OrderEventDispatcher.class.getName());
    /** Orders a sweep delivers at the same time: a receiver that hangs costs a sweep a quarter of its attempts. */
    private static final int PARALLEL_ORDERS = 4;
    /** Lost races in a row after which one order's run stops (the next run carries on). */
    private static final int RACES = 16;

    private final OrderStore store;
    private final EventSender sender;
    private final DeliverySchedule schedule;
    private final Clock clock;

    public OrderEventDispatcher(OrderStore store, EventSender sender, DeliverySchedule schedule, Clock clock) {
        this.store = store;
        this.sender = sender;
        this.schedule = schedule;
        this.clock = clock;
    }

    /** What a delivery run did: events acknowledged, attempts that failed (to be retried), events parked. */
    public record DeliveryReport(int ordersVisited, int delivered, int failed, int parked, boolean moreDue) {

        static final DeliveryReport NOTHING = new DeliveryReport(0, 0, 0, 0, false);

        DeliveryReport plus(DeliveryReport other) {
            return new DeliveryReport(
                    ordersVisited + other.ordersVisited,
                    delivered + other.delivered,
                    failed + other.failed,
                    parked + other.parked,
                    moreDue || other.moreDue);
        }
    }

    /** One page of orders with undelivered events; {@code next} is null on the last page. */
    public record QueuePage(List<Order> orders, EventQueuePosition next) {}

    /** Delivers one order's due events, in sequence, until none is due or one is not acknowledged. */
    public DeliveryReport deliver(String outTradeNo) {
        return deliver(outTradeNo, null);
    }

    /**
     * The sweeper: the orders whose head event is due, earliest first, up to {@code maxOrders}, each delivered as in
     * {@link #deliver}, a few at a time. No attempt starts after {@code budget}; {@code moreDue} says whether due
     * events remain (call again).
     */
    public DeliveryReport sweep(int maxOrders, Duration budget) {
        Instant start = clock.instant();
        Instant deadline = start.plus(budget);
        List<Order> due = store.findEventQueues(EventQueue.PENDING, start, null, maxOrders);
        DeliveryReport report = DeliveryReport.NOTHING;
        if (!due.isEmpty()) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_ORDERS, due.size()));
            try {
                List<Future<DeliveryReport>> runs = new ArrayList<>();
                for (Order order : due) {
                    runs.add(pool.submit(() -> deliverScanned(order, start, deadline)));
                }
                for (Future<DeliveryReport> run : runs) {
                    report = report.plus(joined(run));
                }
            } finally {
                pool.shutdownNow();
            }
        }
        boolean moreDue =
                !store.findEventQueues(EventQueue.PENDING, start, null, 1).isEmpty();
        return new DeliveryReport(report.ordersVisited, report.delivered, report.failed, report.parked, moreDue);
    }

    /** Orders whose undelivered events are in {@code queue}, by that queue's time then outTradeNo, after a position. */
    public QueuePage queues(EventQueue queue, EventQueuePosition after, int limit) {
        List<Order> found = store.findEventQueues(queue, null, after, limit + 1);
        if (found.size() <= limit) {
            return new QueuePage(found, null);
        }
        List<Order> page = found.subList(0, limit);
        return new QueuePage(page, EventQueuePosition.of(queue, page.get(limit - 1)));
    }

    /**
     * The operator's redelivery of one event: it and every other undelivered event of its order (parked, or held
     * behind it) get a fresh window and are delivered now, in sequence.
     *
     * @throws InvalidRequestException when {@code eventId} is not an event id
     * @throws NotFoundException when no order holds that event
     * @throws StateConflictException when it was delivered already
     */
    public DeliveryReport redeliver(String eventId, Duration budget) {
        String outTradeNo = OrderEvent.outTradeNoOf(eventId)
                .orElseThrow(() ->
                        new InvalidRequestException("eventId", "must be an event id, evt_<outTradeNo>_<sequence>"));
        Order order = store.find(outTradeNo)
                .filter(o -> o.events().stream().anyMatch(e -> e.id().equals(eventId)))
                .orElseThrow(() -> new NotFoundException("no event " + eventId));
        if (order.events().stream().anyMatch(e -> e.id().equals(eventId) && e.state() == EventState.DELIVERED)) {
            throw new StateConflictException("event " + eventId + " was delivered already");
        }
        Order reopened = ConditionalWrites.update(store, order, o -> Outbox.reopened(o, clock.instant()));
        return deliverFound(reopened, clock.instant().plus(budget));
    }

    /**
     * The operator's redelivery of every parked event: up to {@code maxOrders} orders with a parked head get a fresh
     * window for all their undelivered events, then a sweep delivers what is due within {@code budget}.
     *
     * @return the orders reopened, and the sweep's report
     */
    public Redelivery redeliverParked(int maxOrders, Duration budget) {
        int reopened = 0;
        int events = 0;
        for (Order order : store.findEventQueues(EventQueue.PARKED, null, null, maxOrders)) {
            AtomicInteger requeued = new AtomicInteger();
            ConditionalWrites.update(store, order, o -> {
                requeued.set(
                        Outbox.parkedAt(o) == null ? 0 : Outbox.undelivered(o).size());
                return requeued.get() == 0 ? Optional.empty() : Outbox.reopened(o, clock.instant());
            });
            if (requeued.get() > 0) {
                reopened++;
                events += requeued.get();
            }
        }
        boolean moreParked =
                !store.findEventQueues(EventQueue.PARKED, null, null, 1).isEmpty();
        return new Redelivery(reopened, events, moreParked, sweep(Math.max(maxOrders, 1), budget));
    }

    /** What a redelivery of the parked events did. */
    public record Redelivery(int ordersReopened, int eventsReopened, boolean moreParked, DeliveryReport delivery) {}

    private DeliveryReport deliver(String outTradeNo, Instant deadline) {
        return store.find(outTradeNo).map(o -> deliverFound(o, deadline)).orElse(DeliveryReport.NOTHING);
    }

    /**
     * An order a due scan found at {@code scannedAt}. One whose document has nothing due then (its keys written by an
     * older version) is written once unchanged, which sets its keys right, so it cannot crowd out due orders.
     */
    private DeliveryReport deliverScanned(Order order, Instant scannedAt, Instant deadline) {
        Instant due = Outbox.dueAt(order);
        if (due == null || due.isAfter(scannedAt)) {
            store.replaceIfCurrent(order, order.withEvents(order.events()));
            return new DeliveryReport(1, 0, 0, 0, false);
        }
        return deliverFound(order, deadline);
    }

    /** Runs one order's queue from {@code order} as read, until nothing is due, an attempt fails, or the deadline. */
    private DeliveryReport deliverFound(Order order, Instant deadline) {
        int delivered = 0;
        int races = 0;
        Order current = order;
        while (races < RACES) {
            Instant now = clock.instant();
            Optional<OrderEvent> head = Outbox.head(current)
                    .filter(e -> e.state() == EventState.PENDING
                            && !e.delivery().nextAttemptAt().isAfter(now));
            if (head.isEmpty() || (deadline != null && now.isAfter(deadline))) {
                break;
            }
            Order read = current;
            Optional<Order> expired = Outbox.parkedIfExpired(read, now, schedule);
            Order next = expired.orElseGet(() ->
                    Outbox.claim(read, head.get().id(), now, schedule.lease()).orElseThrow());
            if (!store.replaceIfCurrent(current, next)) {
                races++;
                Optional<Order> reread = store.find(current.outTradeNo());
                if (reread.isEmpty()) {
                    break;
                }
                current = reread.get();
                continue;
            }
            races = 0;
            if (expired.isPresent()) {
                logParked(head.get(), Outbox.head(next).orElseThrow());
                return new DeliveryReport(1, delivered, 0, 1, false);
            }
            OrderEvent event = head.get();
            int attempt = Outbox.head(next).orElseThrow().delivery().attempts();
            EventSender.DeliveryOutcome outcome = sender.send(event);
            if (outcome.acknowledged()) {
                current =
                        ConditionalWrites.update(store, next, o -> Outbox.acknowledged(o, event.id(), clock.instant()));
                delivered++;
                continue;
            }
            Order after = ConditionalWrites.update(
                    store,
                    next,
                    o -> Outbox.failed(o, event.id(), attempt, outcome.failure(), clock.instant(), schedule));
            OrderEvent recorded = after.events().get(event.sequence() - 1);
            if (recorded.state() == EventState.PARKED) {
                logParked(event, recorded);
                return new DeliveryReport(1, delivered, 0, 1, false);
            }
            LOG.log(
                    System.Logger.Level.INFO,
                    "event {0} attempt {1} not acknowledged ({2}); next at {3}",
                    event.id(),
                    attempt,
                    outcome.failure(),
                    recorded.delivery().nextAttemptAt());
            return new DeliveryReport(1, delivered, 1, 0, false);
        }
        return new DeliveryReport(1, delivered, 0, 0, false);
    }

    private static void logParked(OrderEvent event, OrderEvent parked) {
        LOG.log(
                System.Logger.Level.WARNING,
                "PARKED event {0} ({1}) after {2} attempts, last: {3}; the events after it"
                        + " wait. Redeliver with redeliverEvents once the receiver is fixed",
                event.id(),
                event.type(),
                parked.delivery().attempts(),
                parked.delivery().lastFailure());
    }

    private static DeliveryReport joined(Future<DeliveryReport> run) {
        try {
            return run.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while delivering events", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
