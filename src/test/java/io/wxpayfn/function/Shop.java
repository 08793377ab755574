package io.wxpayfn.function;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderEvent;
import io.wxpayfn.order.OrderEventType;
import io.wxpayfn.simulator.WeChatPaySimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A mini-program's and an operator's view of the functions, over HTTP, for the end-to-end tests. */
final class Shop {

    private Shop() {}

    static WeChatPaySimulator simulator() {
        return SimulatorResource.simulator();
    }

    /**
     * wx.login in the simulator, then the login function: the session token. In partner mode the user is in the
     * sub-merchant's own mini-program, which login is told.
     */
    static String login(String user) {
        if (!SimulatorResource.partner()) {
            return call(null, "login", Map.of("code", simulator().loginCode(user)))
                    .getString("data.token");
        }
        String appid = SimulatorResource.miniProgramAppid();
        return call(null, "login", Map.of("code", simulator().loginCode(user, appid), "appid", appid))
                .getString("data.token");
    }

    static JsonPath unifiedOrder(String token, List<Map<String, Object>> items, String idempotencyKey) {
        return call(token, "unifiedOrder", Map.of("items", items, "idempotencyKey", idempotencyKey));
    }

    static List<Map<String, Object>> items(Object... productAndQuantity) {
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        for (int i = 0; i < productAndQuantity.length; i += 2) {
            items.add(Map.of("productId", productAndQuantity[i], "quantity", productAndQuantity[i + 1]));
        }
        return items;
    }

    static String newKey() {
        return "k-" + UUID.randomUUID();
    }

    /** Places an order of one latte for the user and returns {outTradeNo, prepayId}. */
    static String[] placeLatte(String token) {
        JsonPath placed = unifiedOrder(token, items("coffee-latte", 1), newKey());
        assertOk(placed);
        String prepayId = placed.getString("data.payment.package").substring("prepay_id=".length());
        return new String[] {placed.getString("data.order.outTradeNo"), prepayId};
    }

    /** The user pays the order in the simulator; returns once payment-callback has acknowledged the notification. */
    static void payAndAwaitCallback(String[] order) {
        simulator().pay(order[1]);
        simulator().awaitAcknowledged(order[0], "TRANSACTION.SUCCESS", Duration.ofSeconds(10));
    }

    static JsonPath queryOrder(String token, String outTradeNo) {
        return call(token, "queryOrder", Map.of("outTradeNo", outTradeNo));
    }

    static JsonPath call(String token, String function, Object body) {
        RequestSpecification request = given().contentType(ContentType.JSON).body(body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.post("/" + function).then().statusCode(200).extract().jsonPath();
    }

    /** An operator's call, with the key of its scope: reconcile, downloadBill and deliverEvents take RECONCILE_API_KEY. */
    static JsonPath operatorCall(String function, Object body) {
        String key = function.equals("reconcile") || function.equals("downloadBill") || function.equals("deliverEvents")
                ? SimulatorResource.RECONCILE_KEY
                : SimulatorResource.OPERATOR_KEY;
        return given().contentType(ContentType.JSON)
                .header("X-Operator-Key", key)
                .body(body)
                .post("/" + function)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static void assertOk(JsonPath answer) {
        if (answer.getInt("errcode") != 0) {
            throw new AssertionError("expected errcode 0, got " + answer.prettify());
        }
    }

    /**
     * The refused notification changed nothing of the order: its state (as callers see it), update time, applied
     * notification ids and earlier events are as they were. One that WeChat Pay signed but that contradicts the order
     * leaves exactly one ORDER_ALERT event in the outbox, written on its own; any other refusal leaves nothing at all.
     * {@code alerted}: whether the notification contradicts the order, or null when the test does not know (an altered
     * field may contradict the order or only make the payment incomplete); then it is read from the outbox.
     *
     * @return whether an alert was recorded
     */
    static boolean assertUnchanged(Order before, Order after, Boolean alerted) {
        assertEquals(OrderView.of(before), OrderView.of(after));
        assertEquals(before.updatedAt(), after.updatedAt());
        assertEquals(before.appliedNotificationIds(), after.appliedNotificationIds());
        assertEquals(
                before.events(),
                after.events()
                        .subList(
                                0,
                                Math.min(before.events().size(), after.events().size())));
        boolean recorded = alerted != null
                ? alerted
                : after.events().size() > before.events().size();
        assertEquals(
                recorded ? List.of(OrderEventType.ORDER_ALERT) : List.of(),
                after.events().subList(before.events().size(), after.events().size()).stream()
                        .map(OrderEvent::type)
                        .toList());
        assertEquals(before.version() + (recorded ? 1 : 0), after.version());
        return recorded;
    }
}
