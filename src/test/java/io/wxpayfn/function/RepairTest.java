package io.wxpayfn.function;

import static io.wxpayfn.function.Shop.assertOk;
import static io.wxpayfn.function.Shop.call;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.queryOrder;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.simulator.NotificationFault;
import io.wxpayfn.simulator.RefundStatus;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A lost or late notification never leaves the store behind WeChat Pay: reading the order repairs it. */
@QuarkusTest
class RepairTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    FunctionClock clock;

    @Test
    void droppedPaymentNotificationStillEndsPaidWhenTheOrderIsQueried() {
        String token = login("grace");
        String[] order = placeLatte(token);
        simulator().faults().onNextNotification(order[0], NotificationFault.drop());
        simulator().pay(order[1]);
        simulator().awaitDeliveries(d -> d.concerns(order[0]) && d.kind().name().equals("DROPPED"), 1, WAIT);

        JsonPath answer = queryOrder(token, order[0]);
        assertEquals("PAID", answer.getString("data.status"));
        assertEquals(2, answer.getInt("data.payStatus"));
    }

    @Test
    void refundStuckInProcessingThenAbnormalReturnsTheOrderToPaidAndIsNeverRefundedTwice() {
        String token = login("heidi");
        String[] order = placeLatte(token);
        Shop.payAndAwaitCallback(order);
        String outRefundNo = order[0] + "R01";
        simulator().faults().holdRefunds(outRefundNo);

        assertOk(call(token, "refund", Map.of("outTradeNo", order[0])));
        JsonPath stuck = call(token, "queryRefund", Map.of("outRefundNo", outRefundNo));
        assertEquals("PROCESSING", stuck.getString("data.refund.status"));
        assertEquals("REFUNDING", stuck.getString("data.order.status"));

        simulator().faults().onNextNotification(outRefundNo, NotificationFault.drop());
        simulator().completeRefund(outRefundNo, RefundStatus.ABNORMAL);
        clock.advance(OrderService.QUERY_SYNC_INTERVAL); // queryRefund asks WeChat Pay once per interval
        JsonPath abnormal = call(token, "queryRefund", Map.of("outRefundNo", outRefundNo));
        assertEquals("ABNORMAL", abnormal.getString("data.refund.status"));
        assertEquals("PAID", abnormal.getString("data.order.status"));
        assertEquals(2, abnormal.getInt("data.order.payStatus"));
        assertEquals(0, abnormal.getLong("data.order.refundable"), "the abnormal refund keeps its amount reserved");

        JsonPath again = call(token, "refund", Map.of("outTradeNo", order[0]));
        assertEquals(outRefundNo, again.getString("data.refund.outRefundNo"), "the owner's refund is not made twice");
        assertEquals(
                1,
                simulator().refunds().stream()
                        .filter(r -> r.outTradeNo().equals(order[0]))
                        .count());
    }
}
