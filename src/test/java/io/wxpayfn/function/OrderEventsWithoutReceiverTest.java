package io.wxpayfn.function;

import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.operatorCall;
import static io.wxpayfn.function.Shop.placeLatte;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wxpayfn.order.EventState;
import io.wxpayfn.order.OrderEvent;
import io.wxpayfn.order.OrderEventType;
import io.wxpayfn.order.OrderStore;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The functions without MERCHANT_EVENTS_URL (the other function tests' configuration): events are still recorded with
 * their transitions and listed, nothing is sent, and the functions that would send say why. Also the event functions'
 * refusals of bad input.
 */
@QuarkusTest
class OrderEventsWithoutReceiverTest {

    @Inject
    OrderStore store;

    @Test
    void withoutAReceiverEventsAreRecordedAndListedButNotDeliveredAndTheSendingFunctionsSayWhy() {
        String[] order = placeLatte(login("nora-" + Shop.newKey()));
        Shop.payAndAwaitCallback(order);

        List<OrderEvent> events = store.find(order[0]).orElseThrow().events();
        assertEquals(
                List.of(OrderEventType.ORDER_PAID),
                events.stream().map(OrderEvent::type).toList());
        assertEquals(EventState.PENDING, events.get(0).state());
        assertEquals(0, events.get(0).delivery().attempts(), "nothing tried to send it");
        assertTrue(pendingQueues().contains(order[0]), "listed as pending");

        for (Map<String, Object> body :
                List.of(Map.<String, Object>of(), Map.<String, Object>of("eventId", "evt_" + order[0] + "_1"))) {
            String function = body.isEmpty() ? "deliverEvents" : "redeliverEvents";
            JsonPath refused = operatorCall(function, body);
            assertEquals(40901, refused.getInt("errcode"), refused.prettify());
            assertTrue(refused.getString("errmsg").contains("MERCHANT_EVENTS_URL"), refused.prettify());
        }
    }

    @Test
    void badInputToTheEventFunctionsIsRefusedNamingTheField() {
        assertRefused("listEvents", Map.of("state", "DELIVERED"), "state");
        assertRefused("listEvents", Map.of("limit", 51), "limit");
        assertRefused("listEvents", Map.of("cursor", "not-a-cursor"), "cursor");
        assertRefused("redeliverEvents", Map.of(), "eventId");
        assertRefused("redeliverEvents", Map.of("eventId", "evt_WX0123456789_1", "all", true), "eventId");
        assertRefused("redeliverEvents", Map.of("eventId", "WX0123456789_1"), "eventId");
        assertRefused("redeliverEvents", Map.of("all", "yes"), "all");
        assertRefused("deliverEvents", Map.of("maxOrders", 0), "maxOrders");
    }

    /** Every order listEvents shows with pending events, page by page (other tests leave theirs pending too). */
    private static List<Object> pendingQueues() {
        List<Object> listed = new java.util.ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> body = cursor == null
                    ? Map.of("state", "PENDING", "limit", 50)
                    : Map.of("state", "PENDING", "limit", 50, "cursor", cursor);
            JsonPath page = operatorCall("listEvents", body);
            assertEquals(0, page.getInt("errcode"), page.prettify());
            listed.addAll(page.getList("data.queues.outTradeNo"));
            cursor = page.getString("data.nextCursor");
        } while (cursor != null);
        return listed;
    }

    private static void assertRefused(String function, Map<String, Object> body, String field) {
        JsonPath refused = operatorCall(function, body);
        assertEquals(40001, refused.getInt("errcode"), function + " " + body + ": " + refused.prettify());
        assertTrue(refused.getString("errmsg").startsWith(field + ":"), refused.prettify());
    }
}
