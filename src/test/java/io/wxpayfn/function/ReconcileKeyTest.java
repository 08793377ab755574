package io.wxpayfn.function;

import static io.restassured.RestAssured.given;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.queryOrder;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The key a scheduler holds runs reconcile and downloads bills, and can never refund; the operator key the reverse. */
@QuarkusTest
class ReconcileKeyTest {

    private static JsonPath callWithKey(String key, String function, Object body) {
        return given().contentType(ContentType.JSON)
                .header("X-Operator-Key", key)
                .body(body)
                .post("/" + function)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void theReconcileKeyRunsReconcileButCannotRefundAndTheOperatorKeyCannotReconcile() {
        String token = login("rita");
        String[] order = placeLatte(token);
        Shop.payAndAwaitCallback(order);

        assertEquals(
                0,
                callWithKey(SimulatorResource.RECONCILE_KEY, "reconcile", Map.of())
                        .getInt("errcode"));

        JsonPath refund =
                callWithKey(SimulatorResource.RECONCILE_KEY, "refund", Map.of("outTradeNo", order[0], "amount", 100));
        assertEquals(40301, refund.getInt("errcode"), refund.prettify());
        assertTrue(refund.getString("errmsg").contains("OPERATOR_API_KEY"), refund.getString("errmsg"));
        JsonPath after = queryOrder(token, order[0]);
        assertEquals("PAID", after.getString("data.status"));
        assertEquals(0, after.getList("data.refunds").size());
        assertTrue(
                simulator().refunds().stream().noneMatch(r -> r.outTradeNo().equals(order[0])),
                "nothing reached WeChat Pay");

        JsonPath reconcile = callWithKey(SimulatorResource.OPERATOR_KEY, "reconcile", Map.of());
        assertEquals(40301, reconcile.getInt("errcode"), reconcile.prettify());
        JsonPath bill = callWithKey(SimulatorResource.OPERATOR_KEY, "downloadBill", Map.of("billDate", "2026-01-01"));
        assertEquals(40301, bill.getInt("errcode"), bill.prettify());
    }
}
