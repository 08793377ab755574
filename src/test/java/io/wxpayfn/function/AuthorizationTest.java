package io.wxpayfn.function;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.wxpayfn.function.Shop.call;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Nobody pays, sees or refunds what is not theirs; prices never come from the caller. */
@QuarkusTest
class AuthorizationTest {

    @Test
    void anotherUsersTokenCannotQueryCloseOrRefundTheOrder() {
        String owner = login("ivan");
        String intruder = login("mallory");
        String[] order = placeLatte(owner);
        for (String function : List.of("queryOrder", "closeOrder", "refund")) {
            JsonPath answer = call(intruder, function, Map.of("outTradeNo", order[0]));
            assertEquals(40401, answer.getInt("errcode"), function);
            assertFalse(answer.prettify().contains("coffee"), function + " leaked the order");
        }
        assertEquals(40401, call(intruder, "queryRefund", Map.of("outRefundNo", order[0] + "R01")).getInt("errcode"));
        assertEquals("NOTPAY", simulator().transaction(order[0]).orElseThrow().state().name());
    }

    @Test
    void callsWithoutAValidSessionAreRefused() {
        assertEquals(40101, call(null, "queryOrder", Map.of("outTradeNo", "WX0000000000")).getInt("errcode"));
        assertEquals(40101, call("forged.token", "queryOrder", Map.of("outTradeNo", "WX0000000000")).getInt("errcode"));
        String token = login("judy");
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
        assertEquals(40101, call(tampered, "queryOrder", Map.of("outTradeNo", "WX0000000000")).getInt("errcode"));
    }

    @Test
    void wrongOperatorKeyIsRefused() {
        JsonPath answer = given().contentType("application/json").header("X-Operator-Key", "guess-guess-guess-guess")
                .body(Map.of("outTradeNo", "WX0000000000", "amount", 1)).post("/refund")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(40301, answer.getInt("errcode"));
    }

    @Test
    void ownerCannotRefundPartOfAnOrder() {
        String token = login("ken");
        String[] order = placeLatte(token);
        Shop.payAndAwaitCallback(order);
        assertEquals(40302, call(token, "refund", Map.of("outTradeNo", order[0], "amount", 100)).getInt("errcode"));
    }

    @Test
    void priceSentByTheClientIsIgnored() {
        String token = login("liam");
        JsonPath placed = call(token, "unifiedOrder", Map.of("idempotencyKey", Shop.newKey(), "total", 1,
                "amount", 1, "items", List.of(Map.of("productId", "mug", "quantity", 1, "price", 1))));
        Shop.assertOk(placed);
        assertEquals(5900, placed.getLong("data.order.total"));
        assertEquals(5900, simulator().transaction(placed.getString("data.order.outTradeNo")).orElseThrow().total());
    }
}
