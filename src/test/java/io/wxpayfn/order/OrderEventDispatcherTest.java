package io.wxpayfn.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.reconcile.MutableClock;
import io.wxpayfn.store.OrderStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** The dispatcher over a real store (SQLite) and a receiver the test scripts: order, leases, retries, parking. */
class OrderEventDispatcherTest {

    private static final Instant T0 = Instant.parse("2026-11-23T04:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(11);
    private static final Duration BUDGET = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final Receiver receiver = new Receiver();
    private OrderStore store;
    private OrderEventDispatcher dispatcher;

    /** Records every event it is sent (in arrival order) and answers as scripted: refuse while {@code down}. */
    private static final class Receiver implements EventSender {
        final List<String> received = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlightForOneOrder = new AtomicInteger();
        volatile boolean down;
        volatile long millisPerAttempt;

        @Override
        public DeliveryOutcome send(OrderEvent event) {
            mostInFlightForOneOrder.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(millisPerAttempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            received.add(event.id());
            return down ? DeliveryOutcome.failedWith("HTTP 500") : DeliveryOutcome.ok();
        }
    }

    @BeforeEach
    void open() {
        store = OrderStores.open("sqlite:" + dir.resolve("orders.db"));
        dispatcher = new OrderEventDispatcher(store, receiver, DeliverySchedule.standard(LEASE), clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A stored order with {@code refunds} partial refunds applied for: 1 + refunds events, all pending. */
    private Order storedOrderWithEvents(String outTradeNo, int refunds) {
        Order created = store.createIfAbsent(Order.unpaid(
                outTradeNo,
                "wxd678efh567hg6787",
                "1900000109",
                "o-1",
                "key-" + outTradeNo,
                "Latte",
                List.of(new OrderItem("latte", "Latte", 1000, 1)),
                T0.plusSeconds(3600),
                clock.instant()));
        Order current = created.applyPayment(
                        DirectSnapshots.payment(
                                "wxd678efh567hg6787",
                                "1900000109",
                                outTradeNo,
                                "4200" + outTradeNo,
                                "SUCCESS",
                                1000L,
                                1000L,
                                "o-1",
                                clock.instant()),
                        "n-" + outTradeNo,
                        clock.instant())
                .orElseThrow();
        assertTrue(store.replaceIfCurrent(created, current));
        for (int i = 1; i <= refunds; i++) {
            Order next = current.requestRefund(current.nextOutRefundNo(), 10, null, "operator", clock.instant());
            assertTrue(store.replaceIfCurrent(current, next));
            current = next;
        }
        return current;
    }

    private static List<String> ids(String outTradeNo, int... sequences) {
        List<String> ids = new ArrayList<>();
        for (int sequence : sequences) {
            ids.add(OrderEvent.idOf(outTradeNo, sequence));
        }
        return ids;
    }

    @Test
    void oneOrdersEventsAreSentInSequenceAndTheRunStopsAtTheFirstRefusal() {
        storedOrderWithEvents("D-1", 2);
        OrderEventDispatcher.DeliveryReport report = dispatcher.deliver("D-1");
        assertEquals(ids("D-1", 1, 2, 3), receiver.received);
        assertEquals(3, report.delivered());
        assertTrue(Outbox.head(store.find("D-1").orElseThrow()).isEmpty());

        Order more = store.find("D-1").orElseThrow();
        Order next = more.requestRefund(more.nextOutRefundNo(), 10, null, "operator", clock.instant());
        assertTrue(store.replaceIfCurrent(more, next));
        receiver.down = true;
        report = dispatcher.deliver("D-1");
        assertEquals(new OrderEventDispatcher.DeliveryReport(1, 0, 1, 0, false), report);
        assertEquals(ids("D-1", 1, 2, 3, 4), receiver.received);
        OrderEvent refused = store.find("D-1").orElseThrow().events().get(3);
        assertEquals("HTTP 500", refused.delivery().lastFailure());
        assertEquals(clock.instant().plusSeconds(15), refused.delivery().nextAttemptAt());
    }

    @Test
    void sweepSendsWhatIsDueAndLeavesWhatIsNotUntilItsTimeComes() {
        storedOrderWithEvents("S-1", 0);
        storedOrderWithEvents("S-2", 1);
        receiver.down = true;
        OrderEventDispatcher.DeliveryReport first = dispatcher.sweep(100, BUDGET);
        assertEquals(new OrderEventDispatcher.DeliveryReport(2, 0, 2, 0, false), first);

        receiver.down = false;
        clock.advance(Duration.ofSeconds(14));
        assertEquals(new OrderEventDispatcher.DeliveryReport(0, 0, 0, 0, false), dispatcher.sweep(100, BUDGET));
        clock.advance(Duration.ofSeconds(1));
        OrderEventDispatcher.DeliveryReport second = dispatcher.sweep(100, BUDGET);
        assertEquals(new OrderEventDispatcher.DeliveryReport(2, 3, 0, 0, false), second);
        assertEquals(List.of(), store.findEventQueues(EventQueue.PENDING, null, null, 10));
        assertEquals(
                ids("S-2", 1, 1, 2),
                receiver.received.stream().filter(id -> id.contains("S-2")).toList());
    }

    @Test
    void sweepBoundedByItsOrderLimitSaysMoreIsDue() {
        for (int i = 0; i < 3; i++) {
            storedOrderWithEvents("M-" + i, 0);
        }
        OrderEventDispatcher.DeliveryReport report = dispatcher.sweep(2, BUDGET);
        assertEquals(2, report.delivered());
        assertTrue(report.moreDue());
        assertFalse(dispatcher.sweep(2, BUDGET).moreDue());
    }

    @Test
    void deliverersRacingOnOneOrderSendEachEventOnceAndInSequence() throws Exception {
        storedOrderWithEvents("R-1", 5);
        receiver.millisPerAttempt = 30;
        int deliverers = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(deliverers);
        try {
            List<Future<OrderEventDispatcher.DeliveryReport>> runs = new ArrayList<>();
            for (int i = 0; i < deliverers; i++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    OrderEventDispatcher.DeliveryReport report = dispatcher.deliver("R-1");
                    return report.plus(dispatcher.sweep(10, BUDGET));
                }));
            }
            start.countDown();
            int delivered = 0;
            for (Future<OrderEventDispatcher.DeliveryReport> run : runs) {
                delivered += run.get().delivered();
            }
            assertEquals(ids("R-1", 1, 2, 3, 4, 5, 6), receiver.received, "each once, in sequence");
            assertEquals(6, delivered);
            assertEquals(1, receiver.mostInFlightForOneOrder.get(), "never two attempts of one order at once");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void attemptOfADelivererThatDiedIsMadeAgainOnceItsLeaseRunsOut() {
        Order order = storedOrderWithEvents("L-1", 0);
        String head = order.events().get(0).id();
        // A deliverer took the event and was killed before it could send it or record anything.
        assertTrue(store.replaceIfCurrent(
                order, Outbox.claim(order, head, clock.instant(), LEASE).orElseThrow()));

        assertEquals(0, dispatcher.sweep(10, BUDGET).delivered());
        clock.advance(LEASE.minusMillis(1));
        assertEquals(0, dispatcher.sweep(10, BUDGET).delivered());
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, dispatcher.sweep(10, BUDGET).delivered());
        assertEquals(List.of(head), receiver.received);
        assertEquals(
                2, store.find("L-1").orElseThrow().events().get(0).delivery().attempts());
    }

    @Test
    void parkedEventHoldsTheOnesAfterItUntilTheOperatorRedeliversThenTheyGoInSequence() {
        storedOrderWithEvents("P-1", 1);
        receiver.down = true;
        for (int sweeps = 0;
                sweeps < 40
                        && store.findEventQueues(EventQueue.PARKED, null, null, 1)
                                .isEmpty();
                sweeps++) {
            dispatcher.sweep(10, BUDGET);
            clock.advance(Duration.ofHours(6));
        }
        Order parked = store.find("P-1").orElseThrow();
        assertEquals(EventState.PARKED, parked.events().get(0).state());
        assertEquals(EventState.PENDING, parked.events().get(1).state());
        assertTrue(
                receiver.received.stream().noneMatch(id -> id.equals(OrderEvent.idOf("P-1", 2))),
                "the second was never sent while the first was not acknowledged");
        assertEquals(
                List.of("P-1"),
                store.findEventQueues(EventQueue.PARKED, null, null, 10).stream()
                        .map(Order::outTradeNo)
                        .toList());

        receiver.down = false;
        receiver.received.clear();
        OrderEventDispatcher.Redelivery redelivery = dispatcher.redeliverParked(100, BUDGET);
        assertEquals(1, redelivery.ordersReopened());
        assertEquals(2, redelivery.eventsReopened());
        assertEquals(2, redelivery.delivery().delivered());
        assertEquals(ids("P-1", 1, 2), receiver.received);
        assertEquals(List.of(), store.findEventQueues(EventQueue.PARKED, null, null, 10));
    }

    @Test
    void redeliveringOneEventSendsItAndTheOnesHeldBehindIt() {
        storedOrderWithEvents("O-1", 1);
        receiver.down = true;
        dispatcher.deliver("O-1");
        receiver.down = false;
        receiver.received.clear();

        OrderEventDispatcher.DeliveryReport report = dispatcher.redeliver(OrderEvent.idOf("O-1", 1), BUDGET);
        assertEquals(2, report.delivered());
        assertEquals(ids("O-1", 1, 2), receiver.received);
        assertThrows(StateConflictException.class, () -> dispatcher.redeliver(OrderEvent.idOf("O-1", 1), BUDGET));
        assertThrows(NotFoundException.class, () -> dispatcher.redeliver(OrderEvent.idOf("O-1", 3), BUDGET));
        assertThrows(NotFoundException.class, () -> dispatcher.redeliver(OrderEvent.idOf("NO-SUCH", 1), BUDGET));
        assertThrows(InvalidRequestException.class, () -> dispatcher.redeliver("evt-1", BUDGET));
    }

    @Test
    void orderWhoseDueKeyAnOlderVersionLeftBehindIsRepairedInsteadOfCrowdingOutDueOnes() throws Exception {
        Order delivered = storedOrderWithEvents("K-1", 0);
        dispatcher.deliver("K-1");
        try (Connection file = new SQLiteConfig().createConnection("jdbc:sqlite:" + dir.resolve("orders.db"));
                Statement sql = file.createStatement()) {
            // What a write by a version without order events leaves: the document has nothing due, the key says due.
            sql.executeUpdate("UPDATE orders SET events_due_at = 1 WHERE out_trade_no = 'K-1'");
        }
        assertEquals(
                List.of("K-1"),
                store.findEventQueues(EventQueue.PENDING, T0, null, 10).stream()
                        .map(Order::outTradeNo)
                        .toList());
        receiver.received.clear();
        dispatcher.sweep(10, BUDGET);
        assertEquals(List.of(), receiver.received);
        assertEquals(List.of(), store.findEventQueues(EventQueue.PENDING, null, null, 10));
        assertEquals(
                delivered.events().size(),
                store.find("K-1").orElseThrow().events().size());
    }

    @Test
    void listOfQueuesPagesByTheirTimeThenOutTradeNo() {
        storedOrderWithEvents("Q-1", 0);
        clock.advance(Duration.ofSeconds(1));
        storedOrderWithEvents("Q-2", 0);
        storedOrderWithEvents("Q-3", 0);
        OrderEventDispatcher.QueuePage first = dispatcher.queues(EventQueue.PENDING, null, 2);
        assertEquals(
                List.of("Q-1", "Q-2"),
                first.orders().stream().map(Order::outTradeNo).toList());
        OrderEventDispatcher.QueuePage second = dispatcher.queues(EventQueue.PENDING, first.next(), 2);
        assertEquals(
                List.of("Q-3"), second.orders().stream().map(Order::outTradeNo).toList());
        assertEquals(null, second.next());
    }
}
