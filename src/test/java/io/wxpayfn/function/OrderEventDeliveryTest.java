package io.wxpayfn.function;

import static io.restassured.RestAssured.given;
import static io.wxpayfn.function.Shop.assertOk;
import static io.wxpayfn.function.Shop.call;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.operatorCall;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wxpayfn.events.EventReceiver;
import io.wxpayfn.events.Snippets;
import io.wxpayfn.order.EventState;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderEvent;
import io.wxpayfn.order.OrderEventType;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.Outbox;
import io.wxpayfn.simulator.NotificationFault;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Order events reaching the shop's own service (a real HTTP receiver) from the functions, driven end to end through
 * the simulator: exactly its events, in order, each verifiable with the documented snippets; one event however many
 * copies of a notification arrive; everything after a day-long outage; parking and the operator's redelivery.
 */
@QuarkusTest
@WithTestResource(EventReceiverResource.class)
class OrderEventDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    OrderStore store;

    @Inject
    FunctionClock clock;

    private static EventReceiver receiver() {
        return EventReceiverResource.receiver();
    }

    @BeforeEach
    void receiverAnswers() {
        receiver().answer(200);
        receiver().clock(() -> clock.instant().getEpochSecond());
    }

    @AfterEach
    void backToNow() {
        clock.reset();
        receiver().release();
        receiver().answer(200);
        simulator().faults().clear();
    }

    private static Predicate<EventReceiver.Received> of(String outTradeNo) {
        return r -> r.outTradeNo().equals(outTradeNo);
    }

    private static Predicate<EventReceiver.Received> acknowledgedOf(String outTradeNo) {
        return of(outTradeNo).and(EventReceiver.Received::acknowledged);
    }

    private static List<String> types(List<EventReceiver.Received> deliveries) {
        return deliveries.stream().map(r -> r.json().get("type").asText()).toList();
    }

    private static List<String> ids(List<EventReceiver.Received> deliveries) {
        return deliveries.stream().map(EventReceiver.Received::eventId).toList();
    }

    /** Every delivery verified by the Java snippet and, in one run, by the JavaScript snippet under node. */
    private static void assertBothSnippetsAccept(List<EventReceiver.Received> deliveries) throws Exception {
        List<Snippets.Case> cases = deliveries.stream()
                .map(d -> Snippets.Case.of(EventReceiverResource.SECRET, d))
                .toList();
        for (Snippets.Case c : cases) {
            assertTrue(Snippets.javaAccepts(c), "Java snippet: " + new String(c.body()));
        }
        assertEquals(cases.stream().map(c -> true).toList(), Snippets.nodeAccepts(cases), "JavaScript snippet");
    }

    /** No attempt of an order's n-th event before its (n-1)-th was acknowledged. */
    private static void assertInSequence(List<EventReceiver.Received> attempts) {
        Set<Integer> acknowledged = new HashSet<>();
        for (EventReceiver.Received attempt : attempts) {
            int sequence = attempt.json().get("sequence").asInt();
            assertTrue(
                    sequence == 1 || acknowledged.contains(sequence - 1),
                    "event " + sequence + " sent before " + (sequence - 1) + " was acknowledged: " + ids(attempts));
            if (attempt.acknowledged()) {
                acknowledged.add(sequence);
            }
        }
    }

    private static String[] paidLatte(String token) {
        String[] order = placeLatte(token);
        Shop.payAndAwaitCallback(order);
        return order;
    }

    /** Pays, refunds in full (owner) and waits for WeChat Pay's REFUND.SUCCESS: three events. */
    private static String[] paidAndRefunded(String user) {
        String token = login(user + "-" + Shop.newKey());
        String[] order = paidLatte(token);
        assertOk(call(token, "refund", Map.of("outTradeNo", order[0])));
        simulator().awaitAcknowledged(order[0] + "R01", "REFUND.SUCCESS", WAIT);
        return order;
    }

    private Order stored(String outTradeNo) {
        return store.find(outTradeNo).orElseThrow();
    }

    /** Waits until the attempts made after the requests (on the worker) are over and recorded. */
    private void awaitNoAttemptInFlight(String outTradeNo) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            OrderEvent head = Outbox.head(stored(outTradeNo)).orElse(null);
            if (head == null
                    || head.delivery().lastFailure() != null
                            && head.delivery()
                                    .nextAttemptAt()
                                    .isAfter(head.delivery().lastAttemptAt().plusSeconds(12))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("an attempt for " + outTradeNo + " is still in flight: " + stored(outTradeNo));
    }

    private static JsonPath sweep() {
        JsonPath swept = operatorCall("deliverEvents", Map.of());
        assertOk(swept);
        return swept;
    }

    @Test
    void paidThenRefundedOrderReachesTheReceiverAsExactlyItsThreeEventsInOrderEachVerifiedByBothSnippets()
            throws Exception {
        String[] order = paidAndRefunded("evelyn");

        List<EventReceiver.Received> delivered = receiver().await(acknowledgedOf(order[0]), 3, WAIT);
        assertEquals(
                List.of("evt_" + order[0] + "_1", "evt_" + order[0] + "_2", "evt_" + order[0] + "_3"), ids(delivered));
        assertEquals(List.of("ORDER_PAID", "REFUND_REQUESTED", "REFUND_SUCCEEDED"), types(delivered));
        assertEquals(
                List.of("PAID", "REFUNDING", "REFUNDED"),
                delivered.stream()
                        .map(r -> r.json().get("order").get("status").asText())
                        .toList());
        assertEquals(
                order[0] + "R01", delivered.get(2).json().get("outRefundNo").asText());
        assertEquals(
                ids(delivered),
                delivered.stream().map(r -> r.header("Wxpayfn-Event-Id")).toList());
        assertBothSnippetsAccept(delivered);
        JsonNode asQueried = JSON.readTree(
                operatorCall("queryOrder", Map.of("outTradeNo", order[0])).prettify());
        assertEquals(
                asQueried.get("data"),
                delivered.get(2).json().get("order"),
                "the event carries the very view queryOrder answers");

        sweep();
        assertEquals(3, receiver().received(of(order[0])).size(), "nothing more, nothing twice");
        assertTrue(stored(order[0]).events().stream().allMatch(e -> e.state() == EventState.DELIVERED));
    }

    @Test
    void sixteenCopiesOfOneNotificationArrivingAtOnceYieldOneEvent() throws Exception {
        String[] order = placeLatte(login("dupont-" + Shop.newKey()));
        simulator().faults().onNextNotification(order[0], NotificationFault.duplicate(16, true));
        simulator().pay(order[1]);
        simulator().awaitDeliveries(d -> d.concerns(order[0]) && d.acknowledged(), 16, WAIT);

        assertEquals(
                List.of(OrderEventType.ORDER_PAID),
                stored(order[0]).events().stream().map(OrderEvent::type).toList());
        receiver().await(acknowledgedOf(order[0]), 1, WAIT);
        sweep();
        assertEquals(List.of("evt_" + order[0] + "_1"), ids(receiver().received(of(order[0]))));
    }

    @Test
    void receiverAnswering500ForADayGetsEveryEventInOrderOnceItRecovers() throws Exception {
        receiver().answer(500);
        String[] order = paidAndRefunded("dana");
        awaitNoAttemptInFlight(order[0]);
        for (int hour = 1; hour <= 24; hour++) {
            clock.advance(Duration.ofHours(1));
            sweep();
        }
        List<EventReceiver.Received> refused = receiver().received(of(order[0]));
        assertTrue(refused.size() >= 8, "retried through the day: " + refused.size());
        assertTrue(refused.stream().noneMatch(EventReceiver.Received::acknowledged));
        assertEquals(Set.of("evt_" + order[0] + "_1"), Set.copyOf(ids(refused)), "only the first, until it gets in");

        receiver().answer(200);
        Instant recovered = clock.instant();
        for (int hour = 0;
                hour < 8 && receiver().received(acknowledgedOf(order[0])).size() < 3;
                hour++) {
            clock.advance(Duration.ofHours(1));
            sweep();
        }
        List<EventReceiver.Received> delivered = receiver().received(acknowledgedOf(order[0]));
        assertEquals(List.of("ORDER_PAID", "REFUND_REQUESTED", "REFUND_SUCCEEDED"), types(delivered));
        // The largest delay between attempts is 6 h; the minute is the time the test's own steps take.
        assertTrue(
                Duration.between(recovered, clock.instant())
                                .compareTo(Duration.ofHours(6).plusMinutes(1))
                        <= 0,
                "delivered at the first attempt after recovering, within six hours: "
                        + Duration.between(recovered, clock.instant()));
        assertInSequence(receiver().received(of(order[0])));
        assertBothSnippetsAccept(delivered);
        assertEquals(
                List.of(), operatorCall("listEvents", Map.of("state", "PARKED")).getList("data.queues"));
    }

    @Test
    void eventNotAcknowledgedForThreeDaysIsParkedWithTheOnesBehindItUntilTheOperatorRedeliversThem() throws Exception {
        receiver().answer(503);
        String[] one = paidAndRefunded("parker");
        String[] two = paidLatte(login("parker-2-" + Shop.newKey()));
        awaitNoAttemptInFlight(one[0]);
        awaitNoAttemptInFlight(two[0]);
        for (int i = 0;
                i < 14 && (Outbox.parkedAt(stored(one[0])) == null || Outbox.parkedAt(stored(two[0])) == null);
                i++) {
            clock.advance(Duration.ofHours(6));
            sweep();
        }
        JsonPath parked = operatorCall("listEvents", Map.of("state", "PARKED", "limit", 50));
        assertOk(parked);
        List<Map<String, Object>> queues = parked.getList("data.queues");
        Map<String, Object> queueOfOne = queues.stream()
                .filter(q -> one[0].equals(q.get("outTradeNo")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(parked.prettify()));
        assertTrue(queues.stream().anyMatch(q -> two[0].equals(q.get("outTradeNo"))), parked.prettify());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> held = (List<Map<String, Object>>) queueOfOne.get("events");
        assertEquals(
                List.of("PARKED", "PENDING", "PENDING"),
                held.stream().map(e -> e.get("state")).toList());
        assertEquals("HTTP 503", held.get(0).get("lastFailure"));
        assertTrue((Integer) held.get(0).get("attempts") >= 10, held.get(0).toString());
        assertEquals(
                Set.of("evt_" + one[0] + "_1"),
                Set.copyOf(ids(receiver().received(of(one[0])))),
                "nothing behind a parked event was sent");

        receiver().answer(200);
        JsonPath redelivered = operatorCall("redeliverEvents", Map.of("eventId", "evt_" + one[0] + "_1"));
        assertOk(redelivered);
        assertEquals(3, redelivered.getInt("data.delivered"), redelivered.prettify());
        assertEquals(
                List.of("ORDER_PAID", "REFUND_REQUESTED", "REFUND_SUCCEEDED"),
                types(receiver().received(acknowledgedOf(one[0]))));
        JsonPath all = operatorCall("redeliverEvents", Map.of("all", true));
        assertOk(all);
        assertTrue(all.getInt("data.ordersReopened") >= 1, all.prettify());
        assertEquals(List.of("ORDER_PAID"), types(receiver().await(acknowledgedOf(two[0]), 1, WAIT)));
        assertInSequence(receiver().received(of(one[0])));
        List<Object> stillParked = new ArrayList<>(
                operatorCall("listEvents", Map.of("state", "PARKED")).getList("data.queues.outTradeNo"));
        assertTrue(!stillParked.contains(one[0]) && !stillParked.contains(two[0]), stillParked.toString());
        JsonPath again = operatorCall("redeliverEvents", Map.of("eventId", "evt_" + one[0] + "_1"));
        assertEquals(40901, again.getInt("errcode"), "delivered already");
    }

    @Test
    void notificationContradictingTheOrderReachesTheReceiverAsOneAlertThenThePaymentWeChatPaySendsRight()
            throws Exception {
        String[] order = placeLatte(login("alma-" + Shop.newKey()));
        simulator().faults().onNextNotification(order[0], NotificationFault.amountMismatch());
        simulator().pay(order[1]);
        simulator().awaitAcknowledged(order[0], "TRANSACTION.SUCCESS", WAIT);

        List<EventReceiver.Received> delivered = receiver().await(acknowledgedOf(order[0]), 2, WAIT);
        assertEquals(List.of("ORDER_ALERT", "ORDER_PAID"), types(delivered));
        JsonNode alert = delivered.get(0).json();
        assertTrue(alert.get("alert").asText().contains("amount"), alert.toString());
        assertEquals("NOTPAY", alert.get("order").get("status").asText(), "the alert changed nothing");
        assertEquals(
                1,
                stored(order[0]).events().stream()
                        .filter(e -> e.type() == OrderEventType.ORDER_ALERT)
                        .count());
        assertBothSnippetsAccept(delivered);
    }

    @Test
    void theSweeperTakesOnlyTheSchedulersKeyAndTheOtherEventFunctionsOnlyTheOperators() {
        String token = login("mallory-" + Shop.newKey());
        Map<String, String> wrongKey = Map.of(
                "deliverEvents",
                SimulatorResource.OPERATOR_KEY,
                "listEvents",
                SimulatorResource.RECONCILE_KEY,
                "redeliverEvents",
                SimulatorResource.RECONCILE_KEY);
        for (String function : List.of("deliverEvents", "listEvents", "redeliverEvents")) {
            assertEquals(40301, call(null, function, Map.of()).getInt("errcode"), function);
            assertEquals(40301, call(token, function, Map.of()).getInt("errcode"), function);
            for (String key : List.of("not-the-key", wrongKey.get(function))) {
                assertEquals(
                        40301,
                        given().contentType("application/json")
                                .header("X-Operator-Key", key)
                                .body("{}")
                                .post("/" + function)
                                .then()
                                .extract()
                                .jsonPath()
                                .getInt("errcode"),
                        function);
            }
        }
    }
}
