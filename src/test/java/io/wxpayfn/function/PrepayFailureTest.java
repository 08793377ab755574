package io.wxpayfn.function;

import static io.wxpayfn.function.Shop.assertOk;
import static io.wxpayfn.function.Shop.items;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.newKey;
import static io.wxpayfn.function.Shop.simulator;
import static io.wxpayfn.function.Shop.unifiedOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wxpayfn.simulator.ApiFailure;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** WeChat Pay failing on prepay gives a retryable errcode, and the retry never makes a second payable order. */
@QuarkusTest
class PrepayFailureTest {

    private static final String PREPAY = "/v3/pay/transactions/jsapi";

    @AfterEach
    void clearFaults() {
        simulator().faults().clear();
    }

    @Test
    void serverErrorOnPrepayIsRetryableAndTheRetryReusesTheOrder() {
        assertRetryReusesTheOrder(ApiFailure.systemError());
    }

    @Test
    void timeoutOnPrepayIsRetryableAndTheRetryReusesTheOrder() {
        assertRetryReusesTheOrder(ApiFailure.hang(Duration.ofSeconds(8)));
    }

    @Test
    void answerLostAfterWeChatPayCreatedThePrepayStillLeavesOnePayableOrder() {
        String token = login("nina");
        String key = newKey();
        simulator().faults().failNextCallsAfterProcessing(PREPAY, 1, ApiFailure.systemError());
        JsonPath lost = unifiedOrder(token, items("coffee-americano", 1), key);
        assertEquals(50301, lost.getInt("errcode"));

        JsonPath retried = unifiedOrder(token, items("coffee-americano", 1), key);
        assertOk(retried);
        String outTradeNo = retried.getString("data.order.outTradeNo");
        assertEquals(
                simulator().transaction(outTradeNo).orElseThrow().prepayId(),
                retried.getString("data.payment.package").substring("prepay_id=".length()));
        assertEquals(
                1,
                simulator().transactions().stream()
                        .filter(t -> t.openid().equals(simulator().openidOf("nina")))
                        .count());
    }

    private void assertRetryReusesTheOrder(ApiFailure failure) {
        String user = "olga-" + failure.status() + "-" + failure.hang().toMillis();
        String token = login(user);
        String key = newKey();
        simulator().faults().failNextCalls(PREPAY, 1, failure);
        JsonPath failed = unifiedOrder(token, items("coffee-latte", 1), key);
        assertEquals(50301, failed.getInt("errcode"), failed.prettify());

        JsonPath retried = unifiedOrder(token, items("coffee-latte", 1), key);
        assertOk(retried);
        assertEquals(
                1,
                simulator().transactions().stream()
                        .filter(t -> t.openid().equals(simulator().openidOf(user)))
                        .count(),
                "one order at WeChat Pay");
        JsonPath again = unifiedOrder(token, items("coffee-latte", 1), key);
        assertEquals(retried.getString("data.order.outTradeNo"), again.getString("data.order.outTradeNo"));
    }
}
