package io.wxpayfn.function;

import static io.restassured.RestAssured.given;
import static io.wxpayfn.function.Shop.assertOk;
import static io.wxpayfn.function.Shop.call;
import static io.wxpayfn.function.Shop.login;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.Product;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input is refused with errcode 40001 naming the field, no stack trace, and nothing stored. */
@QuarkusTest
class InputValidationTest {

    @Inject
    OrderStore store;

    private static void assertRefusedNaming(JsonPath answer, String field) {
        assertEquals(40001, answer.getInt("errcode"), answer.prettify());
        assertTrue(answer.getString("errmsg").startsWith(field + ":"), answer.getString("errmsg"));
        assertFalse(answer.prettify().contains("Exception"), "no stack trace or exception name");
    }

    @Test
    void badItemsAreRefusedNamingTheFieldAndNothingIsStored() {
        String token = login("pat");
        String key = Shop.newKey();
        Map<String, Object> cases = new java.util.LinkedHashMap<>();
        cases.put("items", List.of());
        cases.put("items[0].quantity", List.of(Map.of("productId", "mug", "quantity", 0)));
        cases.put(
                "items[1].quantity",
                List.of(Map.of("productId", "mug", "quantity", 1), Map.of("productId", "mug", "quantity", -3)));
        cases.put("items[0].productId", List.of(Map.of("productId", "no-such-thing", "quantity", 1)));
        for (Map.Entry<String, Object> c : cases.entrySet()) {
            assertRefusedNaming(
                    call(token, "unifiedOrder", Map.of("idempotencyKey", key, "items", c.getValue())), c.getKey());
        }
        assertRefusedNaming(
                call(
                        token,
                        "unifiedOrder",
                        Map.of(
                                "idempotencyKey",
                                key,
                                "items",
                                List.of(Map.of("productId", "retired-item", "quantity", 1)))),
                "items[0].productId");
        assertRefusedNaming(
                call(
                        token,
                        "unifiedOrder",
                        Map.of("idempotencyKey", key, "items", List.of(Map.of("productId", "mug", "quantity", "2")))),
                "items[0].quantity");
        assertRefusedNaming(
                call(
                        token,
                        "unifiedOrder",
                        Map.of("idempotencyKey", key, "items", List.of(Map.of("productId", 12, "quantity", 2)))),
                "items[0].productId");
        assertRefusedNaming(call(token, "unifiedOrder", Map.of("idempotencyKey", key, "items", "mug")), "items");
        assertRefusedNaming(
                call(token, "unifiedOrder", Map.of("items", List.of(Map.of("productId", "mug", "quantity", 1)))),
                "idempotencyKey");
        assertRefusedNaming(
                call(
                        token,
                        "unifiedOrder",
                        Map.of(
                                "idempotencyKey",
                                "x".repeat(65),
                                "items",
                                List.of(Map.of("productId", "mug", "quantity", 1)))),
                "idempotencyKey");

        // Nothing was stored under the key: it is still free for an order with other items.
        assertOk(call(
                token,
                "unifiedOrder",
                Map.of("idempotencyKey", key, "items", List.of(Map.of("productId", "coffee-latte", "quantity", 3)))));
    }

    @Test
    void orderTotalAboveWhatWeChatPayAcceptsIsRefusedNamingItemsAndNothingIsStored() {
        // WeChat Pay's amount.total is an int of fen: 2^31-1 at most. A long overflow of price x quantity too.
        store.saveProducts(List.of(
                new Product("gold-bar", "Gold bar", 1_500_000_000L, true),
                new Product("small-planet", "Small planet", Long.MAX_VALUE / 2, true)));
        String user = "sue-" + Shop.newKey();
        String token = login(user);
        String key = Shop.newKey();
        assertRefusedNaming(
                call(
                        token,
                        "unifiedOrder",
                        Map.of(
                                "idempotencyKey",
                                key,
                                "items",
                                List.of(Map.of("productId", "gold-bar", "quantity", 2)))),
                "items");
        assertRefusedNaming(
                call(
                        token,
                        "unifiedOrder",
                        Map.of(
                                "idempotencyKey",
                                key,
                                "items",
                                List.of(Map.of("productId", "small-planet", "quantity", 3)))),
                "items");
        assertRefusedNaming(
                call(
                        token,
                        "unifiedOrder",
                        Map.of(
                                "idempotencyKey",
                                key,
                                "items",
                                List.of(
                                        Map.of("productId", "small-planet", "quantity", 1),
                                        Map.of("productId", "small-planet", "quantity", 1),
                                        Map.of("productId", "small-planet", "quantity", 1)))),
                "items");

        assertEquals(
                0,
                Shop.simulator().transactions().stream()
                        .filter(t -> t.openid().equals(Shop.simulator().openidOf(user)))
                        .count(),
                "WeChat Pay was not asked");
        JsonPath ordinary = call(
                token,
                "unifiedOrder",
                Map.of("idempotencyKey", key, "items", List.of(Map.of("productId", "gold-bar", "quantity", 1))));
        assertOk(ordinary);
        assertEquals(1_500_000_000L, ordinary.getLong("data.order.total"), "the key was still free: nothing stored");
    }

    @Test
    void malformedJsonIsRefusedWithoutAStackTrace() {
        String token = login("quinn");
        String body = given().contentType("application/json")
                .header("Authorization", "Bearer " + token)
                .body("{\"items\": [")
                .post("/unifiedOrder")
                .then()
                .extract()
                .asString();
        assertFalse(body.contains("Exception"), body);
        assertFalse(body.contains("at io."), body);
        JsonPath answer = JsonPath.from(body);
        assertRefusedNaming(answer, "body");
    }

    @Test
    void wrongTypesAndOversizedStringsAreRefusedNamingTheField() {
        String token = login("rita");
        assertRefusedNaming(call(token, "queryOrder", Map.of("outTradeNo", 12345678)), "outTradeNo");
        assertRefusedNaming(call(token, "queryOrder", Map.of("outTradeNo", "x".repeat(33))), "outTradeNo");
        assertRefusedNaming(call(token, "queryOrder", Map.of()), "outTradeNo");
        assertRefusedNaming(call(token, "refund", Map.of("outTradeNo", "WX00000000", "amount", 1.5)), "amount");
        assertRefusedNaming(
                call(token, "refund", Map.of("outTradeNo", "WX00000000", "reason", "r".repeat(81))), "reason");
        assertRefusedNaming(call(null, "login", Map.of("code", List.of("a"))), "code");
        assertRefusedNaming(call(null, "login", Map.of()), "code");
        assertRefusedNaming(call(token, "queryRefund", Map.of("outRefundNo", "")), "outRefundNo");
    }

    @Test
    void whatALenientReaderWouldGuessAtIsRefusedNamingTheField() {
        String token = login("sam");
        String key = Shop.newKey();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        // A name in the wrong case, and a field no function has: neither is silently dropped.
        // (A wrong-case refund "Amount" would otherwise refund everything.)
        cases.put("refund {\"outTradeNo\":\"WX00000000\",\"Amount\":1}", "Amount: is not a field here");
        cases.put("queryOrder {\"OutTradeNo\":\"WX00000000\"}", "outTradeNo: is required");
        cases.put("queryOrder {\"outTradeNo\":\"WX00000000\",\"amount\":1}", "amount: is not a field here");
        // No scalar coercion: a string is not a number, a fraction not a whole number, a number not a string.
        cases.put(
                "unifiedOrder {\"idempotencyKey\":\"" + key
                        + "\",\"items\":[{\"productId\":\"mug\",\"quantity\":2.0}]}",
                "items[0].quantity: must be a whole number");
        cases.put(
                "unifiedOrder {\"idempotencyKey\":\"" + key
                        + "\",\"items\":[{\"productId\":\"mug\",\"quantity\":99999999999}]}",
                "items[0].quantity: is out of range");
        cases.put("refund {\"outTradeNo\":\"WX00000000\",\"amount\":\"100\"}", "amount: must be a whole number");
        cases.put("refund {\"outTradeNo\":\"WX00000000\",\"reason\":7}", "reason: must be a string");
        cases.put("listOrders {\"status\":\"paid\"}", "status: must be one of ");
        cases.put("listOrders {\"limit\":51}", "limit: must be a whole number from 1 to 50");
        cases.put("login {\"code\":true}", "code: must be a string");
        cases.put("refund [\"WX00000000\"]", "body: must be a JSON object");
        cases.put("queryOrder null", "body: a JSON object is required");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String[] call = c.getKey().split(" ", 2);
            JsonPath answer = JsonPath.from(given().contentType("application/json")
                    .header("Authorization", "Bearer " + token)
                    .body(call[1])
                    .post("/" + call[0])
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
            assertEquals(40001, answer.getInt("errcode"), c.getKey() + " -> " + answer.prettify());
            assertTrue(answer.getString("errmsg").startsWith(c.getValue()), c.getKey() + " -> " + answer.prettify());
        }
        // Nothing was stored under the key.
        assertOk(call(
                token,
                "unifiedOrder",
                Map.of("idempotencyKey", key, "items", List.of(Map.of("productId", "mug", "quantity", 2)))));
    }

    @Test
    void aFieldTwiceOrAnythingAfterTheObjectIsAMalformedBody() {
        String token = login("tess");
        for (String body : List.of(
                "{\"outTradeNo\":\"WX00000000\",\"outTradeNo\":\"WX11111111\"}",
                "{\"outTradeNo\":\"WX00000000\"} {\"outTradeNo\":\"WX11111111\"}")) {
            String answer = given().contentType("application/json")
                    .header("Authorization", "Bearer " + token)
                    .body(body)
                    .post("/queryOrder")
                    .then()
                    .statusCode(400)
                    .extract()
                    .asString();
            assertRefusedNaming(JsonPath.from(answer), "body");
        }
    }
}
