package io.wxpayfn.function;

import static io.restassured.RestAssured.given;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.wxpayfn.config.FunctionSpecs;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Each route reads a body up to its own limit, which leaves the largest legitimate body of the route room to spare. */
@QuarkusTest
class BodyLimitTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FunctionSpecs FUNCTIONS = FunctionSpecs.load();

    @Inject
    BodyLimits limits;

    @Test
    void eachFunctionTakesABodyUpToItsLimitAndRefusesOneByteMore() {
        for (FunctionSpecs.Spec function : FUNCTIONS.functions().values()) {
            String path = "/" + function.name();
            int limit = function.bodyLimitBytes();
            assertNotEquals(413, post(path, paddedTo(limit)).statusCode(), path + " takes a body of its limit");
            Response over = post(path, paddedTo(limit + 1));
            assertEquals(413, over.statusCode(), path);
            assertEquals(40001, over.jsonPath().getInt("errcode"), path);
            assertEquals(
                    "body: must be at most " + limit + " bytes for " + path,
                    over.jsonPath().getString("errmsg"));
        }
    }

    @Test
    void theLargestLegitimateBodyOfEachFunctionIsAtMostAQuarterOfItsLimit() throws Exception {
        Map<String, Object> largest = new LinkedHashMap<>();
        largest.put("login", Map.of("code", "c".repeat(128)));
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add(Map.of("productId", String.valueOf(i % 10).repeat(64), "quantity", 999));
        }
        largest.put("unifiedOrder", Map.of("idempotencyKey", "k".repeat(64), "items", lines));
        // The operator's filtered list: the longest status, the longest cursor, instants and openid the function takes.
        largest.put(
                "listOrders",
                Map.of(
                        "status",
                        "PARTIALLY_REFUNDED",
                        "limit",
                        50,
                        "cursor",
                        "c".repeat(256),
                        "createdFrom",
                        "2026-11-22T00:00:00.000000000+08:00",
                        "createdTo",
                        "2026-11-23T00:00:00.000000000+08:00",
                        "openid",
                        "o".repeat(128)));
        largest.put("queryOrder", Map.of("outTradeNo", "o".repeat(32)));
        largest.put("closeOrder", Map.of("outTradeNo", "o".repeat(32)));
        largest.put(
                "refund",
                Map.of(
                        "outTradeNo",
                        "o".repeat(32),
                        "amount",
                        Long.MAX_VALUE,
                        "reason",
                        "\u0001".repeat(80),
                        "outRefundNo",
                        "r".repeat(64)));
        largest.put("queryRefund", Map.of("outRefundNo", "r".repeat(64)));
        largest.put("downloadBill", Map.of("billDate", "2026-11-22", "page", 100_000, "pageSize", 500));
        largest.put(
                "reconcile",
                Map.of(
                        "billDate",
                        "2026-11-22",
                        "staleAfterMinutes",
                        10_080,
                        "expiryGraceMinutes",
                        1440,
                        "maxOrders",
                        10_000,
                        "pageSize",
                        500,
                        "resumeFrom",
                        Map.of(
                                "phase",
                                "EXPIRED",
                                "afterOutTradeNo",
                                "o".repeat(32),
                                "afterBillLine",
                                Integer.MAX_VALUE)));
        largest.put("deliverEvents", Map.of("maxOrders", 1000));
        largest.put(
                "listEvents", Map.of("state", "PARKED", "limit", 50, "cursor", Long.MIN_VALUE + "." + "o".repeat(32)));
        largest.put("redeliverEvents", Map.of("eventId", "evt_" + "o".repeat(32) + "_999999", "maxOrders", 1000));
        // A real notification, signed and encrypted by the simulator; a refund's resource has fewer fields.
        String[] order = placeLatte(login("largest-body"));
        Shop.payAndAwaitCallback(order);
        String notification = simulator().signedNotification(order[0]).body();
        largest.put("payment-callback", notification);
        largest.put("refund-callback", notification);

        assertEquals(FUNCTIONS.functions().keySet(), largest.keySet(), "every function is measured");
        for (Map.Entry<String, Object> function : largest.entrySet()) {
            String body =
                    function.getValue() instanceof String text ? text : JSON.writeValueAsString(function.getValue());
            int bytes = body.getBytes(StandardCharsets.UTF_8).length;
            int limit = limits.limitFor("/" + function.getKey());
            assertTrue(4 * bytes <= limit, function.getKey() + ": " + bytes + " bytes against a limit of " + limit);
            assertNotEquals(413, post("/" + function.getKey(), body).statusCode(), function.getKey());
        }
    }

    @Test
    void aPathThatIsNoFunctionGetsTheSmallestLimit() {
        assertEquals(4 * 1024, limits.limitFor("/no-such-function"));
    }

    @Test
    void quarkusOwnLimitBacksUpTheLargestRouteLimit() {
        int largestRouteLimit = FUNCTIONS.functions().values().stream()
                .mapToInt(FunctionSpecs.Spec::bodyLimitBytes)
                .max()
                .orElseThrow();
        assertEquals(
                largestRouteLimit,
                ConfigProvider.getConfig()
                        .getValue("quarkus.http.limits.max-body-size", MemorySize.class)
                        .asLongValue());
    }

    private static String paddedTo(int bytes) {
        String empty = "{\"pad\":\"\"}";
        return "{\"pad\":\"" + "a".repeat(bytes - empty.length()) + "\"}";
    }

    private static Response post(String path, String body) {
        return given().contentType("application/json").body(body).post(path);
    }
}
