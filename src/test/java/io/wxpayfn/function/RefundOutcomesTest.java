package io.wxpayfn.function;

import static io.wxpayfn.function.Shop.assertOk;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.operatorCall;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.RefundStatus;
import io.wxpayfn.simulator.ApiFailure;
import io.wxpayfn.simulator.Delivery;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What WeChat Pay says about a refund after the functions first heard otherwise: a refusal that was not final, a
 * payout of a refund it had refused, an abnormal refund the operator wants to retry. Money WeChat Pay reports paid
 * out is never ignored, and nothing is refunded twice.
 */
@QuarkusTest
class RefundOutcomesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String REFUNDS = "/v3/refund/domestic/refunds";

    @Inject
    OrderStore store;

    @AfterEach
    void clearFaults() {
        simulator().faults().clear();
    }

    private static String[] paidLatte(String user) {
        String[] order = placeLatte(login(user + "-" + Shop.newKey()));
        Shop.payAndAwaitCallback(order);
        return order;
    }

    private Order stored(String outTradeNo) {
        return store.find(outTradeNo).orElseThrow();
    }

    @Test
    void payoutReportedForARefundWeChatPayHadRefusedIsRecordedAndItsAmountIsNotRefundableAgain() {
        String[] order = paidLatte("rhea");
        String r01 = order[0] + "R01";
        simulator().faults().refuseRefund(r01, ApiFailure.notEnough());
        JsonPath refused = operatorCall("refund", Map.of("outTradeNo", order[0], "amount", 1000));
        assertEquals(50201, refused.getInt("errcode"), refused.prettify());
        assertEquals(
                RefundStatus.REJECTED,
                stored(order[0]).refund(r01).orElseThrow().status());
        assertEquals(2800, stored(order[0]).refundableRemainder());

        simulator().settleRefusedRefund(r01, io.wxpayfn.simulator.RefundStatus.SUCCESS);
        simulator().awaitAcknowledged(r01, "REFUND.SUCCESS", WAIT);

        Order after = stored(order[0]);
        assertEquals(RefundStatus.SUCCESS, after.refund(r01).orElseThrow().status(), "WeChat Pay paid it out");
        assertEquals(1000, after.refundedTotal());
        assertEquals(1800, after.refundableRemainder());
        JsonPath tooMuch = operatorCall("refund", Map.of("outTradeNo", order[0], "amount", 2800));
        assertEquals(42201, tooMuch.getInt("errcode"), "the paid-out 1000 fen cannot be refunded a second time");
    }

    @Test
    void payoutOfARefusedRefundThatNoLongerFitsTheOrderIsRefusedAsAnAlertAndChangesNothing() {
        String[] order = paidLatte("remy");
        String r01 = order[0] + "R01";
        simulator().faults().refuseRefund(r01, ApiFailure.notEnough());
        assertEquals(
                50201, operatorCall("refund", Map.of("outTradeNo", order[0])).getInt("errcode"));
        JsonPath whole = operatorCall("refund", Map.of("outTradeNo", order[0]));
        assertOk(whole);
        simulator().awaitAcknowledged(whole.getString("data.refund.outRefundNo"), "REFUND.SUCCESS", WAIT);
        Order before = stored(order[0]);
        assertEquals(2800, before.refundedTotal());

        simulator().faults().holdRetries(r01);
        simulator().settleRefusedRefund(r01, io.wxpayfn.simulator.RefundStatus.SUCCESS);

        Delivery alert =
                simulator().awaitDeliveries(d -> d.concerns(r01), 1, WAIT).get(0);
        assertEquals(500, alert.status(), "a payout beyond the order total cannot be booked: WeChat Pay must retry");
        simulator().awaitNoDeliveriesInFlight(r01, WAIT);
        Shop.assertUnchanged(before, stored(order[0]), true);
    }

    @Test
    void refusalAnsweredForARefundWeChatPayBookedAnywayIsNotARejectionAndKeepsItsAmountReserved() {
        String[] order = paidLatte("rita");
        String r01 = order[0] + "R01";
        simulator()
                .faults()
                .holdRefunds(r01)
                .failNextCallsAfterProcessing(
                        REFUNDS, 1, new ApiFailure(400, "INVALID_REQUEST", "请求内容和上次请求不一致", Duration.ZERO));

        JsonPath answer = operatorCall("refund", Map.of("outTradeNo", order[0], "amount", 1000));

        assertOk(answer);
        assertEquals(
                "PROCESSING",
                answer.getString("data.refund.status"),
                "WeChat Pay's own query shows it holds the refund, so the refusal was not final");
        assertEquals(
                RefundStatus.PROCESSING,
                stored(order[0]).refund(r01).orElseThrow().status());
        assertEquals(1800, stored(order[0]).refundableRemainder());
        simulator().completeRefund(r01, io.wxpayfn.simulator.RefundStatus.SUCCESS);
        simulator().awaitAcknowledged(r01, "REFUND.SUCCESS", WAIT);
        assertEquals(1000, stored(order[0]).refundedTotal());
    }

    @Test
    void operatorResubmittingAnAbnormalRefundIsRefusedBecauseTheSameNumberCannotRetryIt() {
        String[] order = paidLatte("rosa");
        String r01 = order[0] + "R01";
        simulator().faults().holdRefunds(r01);
        assertOk(operatorCall("refund", Map.of("outTradeNo", order[0])));
        simulator().completeRefund(r01, io.wxpayfn.simulator.RefundStatus.ABNORMAL);
        simulator().awaitAcknowledged(r01, "REFUND.ABNORMAL", WAIT);
        long applicationsBefore = refundApplications();

        JsonPath resubmitted = operatorCall("refund", Map.of("outTradeNo", order[0], "outRefundNo", r01));

        assertEquals(40901, resubmitted.getInt("errcode"), resubmitted.prettify());
        assertTrue(
                resubmitted.getString("errmsg").contains("ABNORMAL")
                        && resubmitted.getString("errmsg").contains("merchant platform"),
                resubmitted.getString("errmsg"));
        assertEquals(applicationsBefore, refundApplications(), "no application is sent that WeChat Pay would ignore");
        assertEquals(
                io.wxpayfn.simulator.RefundStatus.ABNORMAL,
                simulator().refund(r01).orElseThrow().status());
        assertEquals(
                RefundStatus.ABNORMAL,
                stored(order[0]).refund(r01).orElseThrow().status());

        // Handled by hand on the merchant platform: WeChat Pay's notification settles it.
        simulator().handleAbnormalRefund(r01, io.wxpayfn.simulator.RefundStatus.SUCCESS);
        simulator().awaitAcknowledged(r01, "REFUND.SUCCESS", WAIT);
        assertEquals(2800, stored(order[0]).refundedTotal());
    }

    @Test
    void operatorResubmittingARefusedRefundAppliesAgainWithTheSameNumber() {
        String[] order = paidLatte("ruth");
        String r01 = order[0] + "R01";
        simulator().faults().refuseRefund(r01, ApiFailure.notEnough());
        assertEquals(
                50201,
                operatorCall("refund", Map.of("outTradeNo", order[0], "amount", 1200))
                        .getInt("errcode"));

        JsonPath resubmitted = operatorCall("refund", Map.of("outTradeNo", order[0], "outRefundNo", r01));

        assertOk(resubmitted);
        assertEquals(r01, resubmitted.getString("data.refund.outRefundNo"));
        assertEquals(1200, resubmitted.getLong("data.refund.amount"));
        assertEquals(1200, simulator().refund(r01).orElseThrow().refund(), "WeChat Pay received the same number");
        simulator().awaitAcknowledged(r01, "REFUND.SUCCESS", WAIT);
        assertEquals(1200, stored(order[0]).refundedTotal());
    }

    private static long refundApplications() {
        return simulator().requests().stream()
                .filter(r -> r.equals("POST " + REFUNDS))
                .count();
    }
}
