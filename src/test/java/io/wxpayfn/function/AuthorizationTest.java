package io.wxpayfn.function;

import static io.restassured.RestAssured.given;
import static io.wxpayfn.function.Shop.call;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
        assertEquals(
                40401,
                call(intruder, "queryRefund", Map.of("outRefundNo", order[0] + "R01"))
                        .getInt("errcode"));
        assertEquals(
                "NOTPAY",
                simulator().transaction(order[0]).orElseThrow().state().name());
    }

    @Test
    void callsWithoutAValidSessionAreRefused() {
        assertEquals(
                40101,
                call(null, "queryOrder", Map.of("outTradeNo", "WX0000000000")).getInt("errcode"));
        assertEquals(
                40101,
                call("forged.token", "queryOrder", Map.of("outTradeNo", "WX0000000000"))
                        .getInt("errcode"));
        String token = login("judy");
        // The first character of the MAC carries six bits of it, so any other character there is another MAC.
        int mac = token.indexOf('.') + 1;
        String tampered = token.substring(0, mac) + (token.charAt(mac) == 'A' ? 'B' : 'A') + token.substring(mac + 1);
        assertEquals(
                40101,
                call(tampered, "queryOrder", Map.of("outTradeNo", "WX0000000000"))
                        .getInt("errcode"));
    }

    @Test
    void aNonCanonicalEncodingOfAValidTokenIsRefused() {
        String token = login("judith");
        assertEquals(
                40401,
                call(token, "queryOrder", Map.of("outTradeNo", "WX0000000000")).getInt("errcode"),
                "the token as issued is valid");
        String[] parts = token.split("\\.");
        List<String> respellings = new ArrayList<>();
        for (String payload : sameBytesOtherEncodings(parts[0])) {
            respellings.add(payload + "." + parts[1]);
        }
        for (String mac : sameBytesOtherEncodings(parts[1])) {
            respellings.add(parts[0] + "." + mac);
        }
        assertFalse(respellings.isEmpty());
        for (String respelled : respellings) {
            String[] respelledParts = respelled.split("\\.");
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(
                        Base64.getUrlDecoder().decode(parts[i]),
                        Base64.getUrlDecoder().decode(respelledParts[i]),
                        respelled + " spells the same bytes");
            }
            assertEquals(
                    40101,
                    call(respelled, "queryOrder", Map.of("outTradeNo", "WX0000000000"))
                            .getInt("errcode"),
                    respelled + " is another spelling of " + token);
        }
    }

    @Test
    void wrongOperatorKeyIsRefused() {
        JsonPath answer = given().contentType("application/json")
                .header("X-Operator-Key", "guess-guess-guess-guess")
                .body(Map.of("outTradeNo", "WX0000000000", "amount", 1))
                .post("/refund")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(40301, answer.getInt("errcode"));
    }

    @Test
    void ownerCannotRefundPartOfAnOrder() {
        String token = login("ken");
        String[] order = placeLatte(token);
        Shop.payAndAwaitCallback(order);
        assertEquals(
                40302,
                call(token, "refund", Map.of("outTradeNo", order[0], "amount", 100))
                        .getInt("errcode"));
    }

    @Test
    void aPriceOrAmountSentByTheClientIsRefusedAndTheCatalogueSetsTheTotal() {
        String token = login("liam");
        String key = Shop.newKey();
        Map<String, Object> mug = Map.of("productId", "mug", "quantity", 1);
        Map<String, Map<String, Object>> attempts = new java.util.LinkedHashMap<>();
        attempts.put("total", Map.of("idempotencyKey", key, "total", 1, "items", List.of(mug)));
        attempts.put("amount", Map.of("idempotencyKey", key, "amount", 1, "items", List.of(mug)));
        attempts.put(
                "items[0].price",
                Map.of("idempotencyKey", key, "items", List.of(Map.of("productId", "mug", "quantity", 1, "price", 1))));
        for (Map.Entry<String, Map<String, Object>> attempt : attempts.entrySet()) {
            JsonPath refused = call(token, "unifiedOrder", attempt.getValue());
            assertEquals(40001, refused.getInt("errcode"), refused.prettify());
            assertTrue(
                    refused.getString("errmsg").startsWith(attempt.getKey() + ": is not a field"), refused.prettify());
        }

        // Nothing was stored under the key, and the order it then places is priced from the catalogue.
        JsonPath placed = call(token, "unifiedOrder", Map.of("idempotencyKey", key, "items", List.of(mug)));
        Shop.assertOk(placed);
        assertEquals(5900, placed.getLong("data.order.total"));
        assertEquals(
                5900,
                simulator()
                        .transaction(placed.getString("data.order.outTradeNo"))
                        .orElseThrow()
                        .total());
    }

    /**
     * Spellings of the same bytes that a lenient base64url decoder also accepts: the unused low bits of the last
     * character set, and padding added.
     */
    private static List<String> sameBytesOtherEncodings(String encoded) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int unusedBits = (6 * encoded.length()) % 8;
        String head = encoded.substring(0, encoded.length() - 1);
        int last = alphabet.indexOf(encoded.charAt(encoded.length() - 1));
        List<String> variants = new ArrayList<>();
        for (int low = 1; low < (1 << unusedBits); low++) {
            variants.add(head + alphabet.charAt(last ^ low));
        }
        if (encoded.length() % 4 != 0) {
            variants.add(encoded + "=".repeat(4 - encoded.length() % 4));
        }
        return variants;
    }
}
