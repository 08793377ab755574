package io.wxpayfn.function;

import static io.wxpayfn.function.Shop.assertOk;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.operatorCall;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.queryOrder;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.simulator.Delivery;
import io.wxpayfn.simulator.NotificationFault;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * queryOrder of an order WeChat Pay may still change asks WeChat Pay at most once per order and interval; in
 * between it answers the stored state. Callbacks and reconcile are never held back by it.
 */
@QuarkusTest
class QueryOrderThrottleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    FunctionClock clock;

    @Inject
    OrderStore store;

    private static long paymentQueries(String outTradeNo) {
        return simulator().requests().stream()
                .filter(r -> r.equals("GET /v3/pay/transactions/out-trade-no/" + outTradeNo))
                .count();
    }

    /** The functions' time stands still during each test: a slow machine cannot cross the interval by itself. */
    @BeforeEach
    void freezeTime() {
        clock.freeze();
    }

    @AfterEach
    void thawTime() {
        clock.thaw();
    }

    @Test
    void repeatedQueriesOfAnUnpaidOrderAskWeChatPayOncePerIntervalAndAnswerTheStoredStateInBetween() {
        String token = login("tess-" + Shop.newKey());
        String[] order = placeLatte(token);

        for (int i = 0; i < 10; i++) {
            assertEquals("NOTPAY", queryOrder(token, order[0]).getString("data.status"));
        }
        assertEquals(1, paymentQueries(order[0]), "one sync for ten queries within the interval");

        clock.advance(OrderService.QUERY_SYNC_INTERVAL);
        assertEquals("NOTPAY", queryOrder(token, order[0]).getString("data.status"));
        assertEquals(2, paymentQueries(order[0]), "the next interval syncs again");
    }

    @Test
    void throttledQueriesNeverHoldBackACallbackOrReconcile() {
        String token = login("theo-" + Shop.newKey());
        String[] notified = placeLatte(token);
        assertEquals("NOTPAY", queryOrder(token, notified[0]).getString("data.status"));
        Shop.payAndAwaitCallback(notified);
        assertEquals("PAID", queryOrder(token, notified[0]).getString("data.status"), "the callback applied it");

        String[] lost = placeLatte(token);
        assertEquals("NOTPAY", queryOrder(token, lost[0]).getString("data.status"));
        simulator().faults().onNextNotification(lost[0], NotificationFault.drop());
        simulator().pay(lost[1]);
        simulator().awaitDeliveries(d -> d.concerns(lost[0]) && d.kind() == Delivery.Kind.DROPPED, 1, WAIT);
        assertEquals("NOTPAY", queryOrder(token, lost[0]).getString("data.status"), "within the interval: stored");

        assertOk(operatorCall("reconcile", Map.of("staleAfterMinutes", 0)));
        assertEquals(OrderStatus.PAID, store.find(lost[0]).orElseThrow().status(), "reconcile is not throttled");
        assertEquals("PAID", queryOrder(token, lost[0]).getString("data.status"));
    }
}
