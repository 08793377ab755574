package io.wxpayfn.function;

import static io.wxpayfn.function.Shop.assertOk;
import static io.wxpayfn.function.Shop.call;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.operatorCall;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.queryOrder;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wxpayfn.simulator.RefundStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(SimulatorResource.class)
class PaymentLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void loginOrderPayRefundEndsRefundedWithTheNumericStatusOfEachStep() {
        String token = login("alice");
        JsonPath placed = Shop.unifiedOrder(token, Shop.items("coffee-latte", 2, "cake-cheese", 1), Shop.newKey());
        assertOk(placed);
        String outTradeNo = placed.getString("data.order.outTradeNo");
        assertEquals(2 * 2800 + 3500, placed.getLong("data.order.total"));
        assertEquals(1, placed.getInt("data.order.payStatus"));
        assertEquals("RSA", placed.getString("data.payment.signType"));
        assertTrue(placed.getString("data.payment.package").startsWith("prepay_id="));
        assertEquals(
                9100,
                simulator().transaction(outTradeNo).orElseThrow().total(),
                "WeChat Pay was asked for the catalogue price");

        simulator().pay(placed.getString("data.payment.package").substring("prepay_id=".length()));
        simulator().awaitAcknowledged(outTradeNo, "TRANSACTION.SUCCESS", WAIT);
        JsonPath paid = queryOrder(token, outTradeNo);
        assertEquals("PAID", paid.getString("data.status"));
        assertEquals(2, paid.getInt("data.payStatus"));
        assertEquals(
                simulator().transaction(outTradeNo).orElseThrow().transactionId(),
                paid.getString("data.transactionId"));

        String outRefundNo = outTradeNo + "R01";
        simulator().faults().holdRefunds(outRefundNo);
        JsonPath refunding = call(token, "refund", Map.of("outTradeNo", outTradeNo, "reason", "changed my mind"));
        assertOk(refunding);
        assertEquals(outRefundNo, refunding.getString("data.refund.outRefundNo"));
        assertEquals(9100, refunding.getLong("data.refund.amount"));
        assertEquals("REFUNDING", refunding.getString("data.order.status"));
        assertEquals(3, refunding.getInt("data.order.payStatus"));

        simulator().completeRefund(outRefundNo, RefundStatus.SUCCESS);
        simulator().awaitAcknowledged(outRefundNo, "REFUND.SUCCESS", WAIT);
        JsonPath refunded = queryOrder(token, outTradeNo);
        assertEquals("REFUNDED", refunded.getString("data.status"));
        assertEquals(4, refunded.getInt("data.payStatus"));
        assertEquals(9100, refunded.getLong("data.refundedTotal"));
        JsonPath refund = call(token, "queryRefund", Map.of("outRefundNo", outRefundNo));
        assertEquals("SUCCESS", refund.getString("data.refund.status"));
    }

    @Test
    void operatorPartialRefundsAccumulateToTheTotalAndNoFurther() {
        String token = login("bob");
        String[] order = placeLatte(token);
        Shop.payAndAwaitCallback(order);

        for (long amount : new long[] {1000, 800}) {
            JsonPath refund = operatorCall("refund", Map.of("outTradeNo", order[0], "amount", amount));
            assertOk(refund);
            simulator().awaitAcknowledged(refund.getString("data.refund.outRefundNo"), "REFUND.SUCCESS", WAIT);
        }
        JsonPath partly = queryOrder(token, order[0]);
        assertEquals("PARTIALLY_REFUNDED", partly.getString("data.status"));
        assertEquals(1800, partly.getLong("data.refundedTotal"));
        assertEquals(1000, partly.getLong("data.refundable"));

        JsonPath tooMuch = operatorCall("refund", Map.of("outTradeNo", order[0], "amount", 1001));
        assertEquals(42201, tooMuch.getInt("errcode"));

        JsonPath rest = operatorCall("refund", Map.of("outTradeNo", order[0]));
        assertOk(rest);
        assertEquals(1000, rest.getLong("data.refund.amount"));
        simulator().awaitAcknowledged(rest.getString("data.refund.outRefundNo"), "REFUND.SUCCESS", WAIT);
        JsonPath refunded = queryOrder(token, order[0]);
        assertEquals("REFUNDED", refunded.getString("data.status"));
        assertEquals(2800, refunded.getLong("data.refundedTotal"));
        assertEquals(
                40901,
                operatorCall("refund", Map.of("outTradeNo", order[0], "amount", 1))
                        .getInt("errcode"));
        assertEquals(
                2800,
                simulator().refunds().stream()
                        .filter(r -> r.outTradeNo().equals(order[0]))
                        .mapToLong(r -> r.refund())
                        .sum(),
                "WeChat Pay refunded exactly the total");
    }

    @Test
    void ownerMayCloseAnUnpaidOrderAndThenItCannotBePaid() {
        String token = login("carol");
        String[] order = placeLatte(token);
        JsonPath closed = call(token, "closeOrder", Map.of("outTradeNo", order[0]));
        assertOk(closed);
        assertEquals("CLOSED", closed.getString("data.status"));
        assertEquals(
                "CLOSED",
                simulator().transaction(order[0]).orElseThrow().state().name());
        assertOk(call(token, "closeOrder", Map.of("outTradeNo", order[0])));
    }

    @Test
    void sameIdempotencyKeyReturnsTheSameOrderAndPrepay() {
        String token = login("dave");
        String key = Shop.newKey();
        JsonPath first = Shop.unifiedOrder(token, Shop.items("mug", 1), key);
        JsonPath second = Shop.unifiedOrder(token, Shop.items("mug", 1), key);
        assertOk(first);
        assertOk(second);
        assertEquals(first.getString("data.order.outTradeNo"), second.getString("data.order.outTradeNo"));
        assertEquals(first.getString("data.payment.package"), second.getString("data.payment.package"));
        JsonPath different = Shop.unifiedOrder(token, Shop.items("mug", 2), key);
        assertEquals(40902, different.getInt("errcode"));
    }
}
