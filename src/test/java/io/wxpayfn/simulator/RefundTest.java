package io.wxpayfn.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.service.refund.RefundService;
import com.wechat.pay.java.service.refund.model.AmountReq;
import com.wechat.pay.java.service.refund.model.CreateRequest;
import com.wechat.pay.java.service.refund.model.QueryByOutRefundNoRequest;
import com.wechat.pay.java.service.refund.model.Refund;
import com.wechat.pay.java.service.refund.model.RefundNotification;
import com.wechat.pay.java.service.refund.model.Status;
import io.wxpayfn.order.WeChatPayRules;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RefundTest {

    static WeChatPaySimulator sim;
    static SdkClient sdk;
    static RefundService refunds;
    static NotifyReceiver receiver;

    @BeforeAll
    static void start() {
        sim = WeChatPaySimulator.start(SimulatorOptions.defaults().withRefundDelay(Duration.ofMillis(50)));
        sdk = new SdkClient(sim);
        refunds = sdk.refunds();
        receiver = new NotifyReceiver();
    }

    @AfterAll
    static void stop() {
        sim.close();
        receiver.close();
    }

    @Test
    void createRefundThenQueryItAndReceiveRefundSuccess() {
        paidOrder("REFUNDME01", 1000);
        Refund created = refunds.create(refund("REFUNDME01", "R-REFUNDME01", 300, 1000));
        assertEquals(Status.PROCESSING, created.getStatus());
        assertEquals(
                TradeState.REFUND, sim.transaction("REFUNDME01").orElseThrow().state());

        sim.awaitAcknowledged("R-REFUNDME01", "REFUND.SUCCESS", Duration.ofSeconds(5));
        Refund queried = refunds.queryByOutRefundNo(query("R-REFUNDME01"));
        assertEquals(Status.SUCCESS, queried.getStatus());
        assertEquals(created.getRefundId(), queried.getRefundId());
        assertEquals(300L, queried.getAmount().getRefund());

        NotificationParser parser = new NotificationParser(sdk.config);
        RefundNotification n = receiver.received().stream()
                .filter(r -> r.body().contains("REFUND.SUCCESS"))
                .map(r -> parser.parse(r.requestParam(), RefundNotification.class))
                .filter(parsed -> parsed.getOutRefundNo().equals("R-REFUNDME01"))
                .findFirst()
                .orElseThrow();
        assertEquals("R-REFUNDME01", n.getOutRefundNo());
        assertEquals(Status.SUCCESS, n.getRefundStatus());
        assertEquals(300L, n.getAmount().getRefund());
        assertEquals(1000L, n.getAmount().getTotal());
    }

    @Test
    void resubmittingTheSameOutRefundNoAnswersTheExistingRefund() {
        paidOrder("REFUNDTWICE", 500);
        Refund first = refunds.create(refund("REFUNDTWICE", "R-TWICE", 100, 500));
        Refund second = refunds.create(refund("REFUNDTWICE", "R-TWICE", 100, 500));
        assertEquals(first.getRefundId(), second.getRefundId());
        assertEquals(
                1,
                sim.refunds().stream()
                        .filter(r -> r.outTradeNo().equals("REFUNDTWICE"))
                        .count());
    }

    @Test
    void refundAboveWhatIsLeftIsNotEnough() {
        paidOrder("REFUNDTOOMUCH", 500);
        refunds.create(refund("REFUNDTOOMUCH", "R-TOOMUCH-1", 400, 500));
        ServiceException e = assertThrows(
                ServiceException.class, () -> refunds.create(refund("REFUNDTOOMUCH", "R-TOOMUCH-2", 200, 500)));
        assertEquals("NOT_ENOUGH", e.getErrorCode());
    }

    @Test
    void refundAboveTheOrderTotalIsRefused() {
        paidOrder("REFUNDABOVE", 500);
        ServiceException e =
                assertThrows(ServiceException.class, () -> refunds.create(refund("REFUNDABOVE", "R-ABOVE", 600, 500)));
        assertEquals("PARAM_ERROR", e.getErrorCode());
    }

    @Test
    void the51stRefundOfAnOrderIsRefused() {
        int max = WeChatPayRules.MAX_REFUNDS_PER_ORDER;
        paidOrder("REFUND51TIMES", 100);
        for (int i = 1; i <= max; i++) {
            refunds.create(refund("REFUND51TIMES", "R-51-" + i, 1, 100));
        }
        ServiceException e = assertThrows(
                ServiceException.class, () -> refunds.create(refund("REFUND51TIMES", "R-51-" + (max + 1), 1, 100)));
        assertEquals(400, e.getHttpStatusCode());
        assertEquals("INVALID_REQUEST", e.getErrorCode());
    }

    @Test
    void aRefundOfAPaymentOlderThanTheRefundPeriodIsInvalidRequestAndAYoungerOneIsTaken() {
        paidOrder("REFUNDOLD01", 100);
        paidOrder("REFUNDOLD02", 100);
        OffsetDateTime now = sim.now();
        sim.setSuccessTime(
                "REFUNDOLD01", now.minus(WeChatPayRules.REFUND_PERIOD).minusMinutes(1));
        sim.setSuccessTime(
                "REFUNDOLD02", now.minus(WeChatPayRules.REFUND_PERIOD).plusMinutes(1));

        ServiceException e =
                assertThrows(ServiceException.class, () -> refunds.create(refund("REFUNDOLD01", "R-OLD01", 100, 100)));
        assertEquals(400, e.getHttpStatusCode());
        assertEquals("INVALID_REQUEST", e.getErrorCode());
        assertTrue(e.getErrorMessage().contains("超过退款期限"), e.getErrorMessage());
        assertTrue(sim.refund("R-OLD01").isEmpty());

        assertEquals(
                Status.PROCESSING,
                refunds.create(refund("REFUNDOLD02", "R-OLD02", 100, 100)).getStatus());
    }

    @Test
    void outRefundNoAndReasonOfTheDocumentedMaximumLengthsAreTakenAndOneCharacterMoreIsParamError() {
        paidOrder("REFUNDLONG01", 100);
        CreateRequest longest = refund("REFUNDLONG01", "L".repeat(WeChatPayRules.OUT_REFUND_NO_MAX_LENGTH), 10, 100);
        longest.setReason("退".repeat(WeChatPayRules.REFUND_REASON_MAX_LENGTH));
        assertEquals(Status.PROCESSING, refunds.create(longest).getStatus());

        CreateRequest longNumber =
                refund("REFUNDLONG01", "M".repeat(WeChatPayRules.OUT_REFUND_NO_MAX_LENGTH + 1), 10, 100);
        ServiceException number = assertThrows(ServiceException.class, () -> refunds.create(longNumber));
        assertEquals("PARAM_ERROR", number.getErrorCode());

        CreateRequest longReason = refund("REFUNDLONG01", "R-LONGREASON", 10, 100);
        longReason.setReason("退".repeat(WeChatPayRules.REFUND_REASON_MAX_LENGTH + 1));
        ServiceException reason = assertThrows(ServiceException.class, () -> refunds.create(longReason));
        assertEquals("PARAM_ERROR", reason.getErrorCode());
    }

    @Test
    void aRefundOfAnOrderWeChatPayNeverReceivedIsNotFoundWithACodeTheFunctionsKnow() {
        ServiceException e =
                assertThrows(ServiceException.class, () -> refunds.create(refund("NEVERPLACED1", "R-NEVER", 100, 100)));
        assertEquals(WeChatPayRules.NOT_FOUND_STATUS, e.getHttpStatusCode());
        assertTrue(WeChatPayRules.NOT_FOUND_CODES.contains(e.getErrorCode()), e.getErrorCode());
        ServiceException query =
                assertThrows(ServiceException.class, () -> refunds.queryByOutRefundNo(query("R-NEVER")));
        assertEquals(WeChatPayRules.NOT_FOUND_STATUS, query.getHttpStatusCode());
        assertEquals(WeChatPayRules.RESOURCE_NOT_EXISTS, query.getErrorCode());
    }

    @Test
    void refundOfAnUnpaidOrderIsRefused() {
        sdk.jsapi().prepayWithRequestPayment(sdk.prepayRequest("REFUNDUNPAID", 100, "bob", receiver.url()));
        ServiceException e = assertThrows(
                ServiceException.class, () -> refunds.create(refund("REFUNDUNPAID", "R-UNPAID", 100, 100)));
        assertEquals("INVALID_REQUEST", e.getErrorCode());
    }

    @Test
    void aRefundHeldProcessingEndsAbnormalWhenTold() {
        paidOrder("REFUNDSTUCK", 800);
        sim.faults().holdRefunds("R-STUCK");
        refunds.create(refund("REFUNDSTUCK", "R-STUCK", 800, 800));
        assertEquals(
                Status.PROCESSING, refunds.queryByOutRefundNo(query("R-STUCK")).getStatus());

        sim.completeRefund("R-STUCK", RefundStatus.ABNORMAL);

        assertEquals(
                Status.ABNORMAL, refunds.queryByOutRefundNo(query("R-STUCK")).getStatus());
        sim.awaitAcknowledged("R-STUCK", "REFUND.ABNORMAL", Duration.ofSeconds(5));
    }

    @Test
    void applyingAgainWithTheNumberOfAnAbnormalRefundAnswersItUnchangedAndPaysNothingOut() {
        paidOrder("REFUNDABN", 800);
        sim.faults().holdRefunds("R-ABN");
        Refund created = refunds.create(refund("REFUNDABN", "R-ABN", 800, 800));
        sim.completeRefund("R-ABN", RefundStatus.ABNORMAL);

        Refund again = refunds.create(refund("REFUNDABN", "R-ABN", 800, 800));

        assertEquals(Status.ABNORMAL, again.getStatus(), "同一退款单号多次请求只退一笔: the same refund is answered");
        assertEquals(created.getRefundId(), again.getRefundId());
        assertEquals(RefundStatus.ABNORMAL, sim.refund("R-ABN").orElseThrow().status());
        assertEquals(
                1,
                sim.refunds().stream()
                        .filter(r -> r.outTradeNo().equals("REFUNDABN"))
                        .count());
    }

    @Test
    void anAbnormalRefundHandledOnTheMerchantPlatformEndsSuccessAndIsNotified() {
        paidOrder("REFUNDHAND", 700);
        sim.faults().holdRefunds("R-HAND");
        refunds.create(refund("REFUNDHAND", "R-HAND", 700, 700));
        sim.completeRefund("R-HAND", RefundStatus.ABNORMAL);

        sim.handleAbnormalRefund("R-HAND", RefundStatus.SUCCESS);

        assertEquals(Status.SUCCESS, refunds.queryByOutRefundNo(query("R-HAND")).getStatus());
        sim.awaitAcknowledged("R-HAND", "REFUND.SUCCESS", Duration.ofSeconds(5));
        assertThrows(IllegalStateException.class, () -> sim.handleAbnormalRefund("R-HAND", RefundStatus.SUCCESS));
    }

    @Test
    void aRefusedApplicationBooksNothingUntilTheSimulatorIsToldToSettleItAnyway() {
        paidOrder("REFUNDREFUSED", 900);
        sim.faults().refuseRefund("R-REFUSED", ApiFailure.notEnough());

        ServiceException refused = assertThrows(
                ServiceException.class, () -> refunds.create(refund("REFUNDREFUSED", "R-REFUSED", 300, 900)));
        assertEquals("NOT_ENOUGH", refused.getErrorCode());
        assertEquals(403, refused.getHttpStatusCode());
        ServiceException unknown =
                assertThrows(ServiceException.class, () -> refunds.queryByOutRefundNo(query("R-REFUSED")));
        assertEquals(404, unknown.getHttpStatusCode());

        SimRefund settled = sim.settleRefusedRefund("R-REFUSED", RefundStatus.SUCCESS);

        assertEquals(300, settled.refund());
        assertEquals(
                Status.SUCCESS, refunds.queryByOutRefundNo(query("R-REFUSED")).getStatus());
        sim.awaitAcknowledged("R-REFUSED", "REFUND.SUCCESS", Duration.ofSeconds(5));
    }

    static void paidOrder(String outTradeNo, int fen) {
        String prepayId = sdk.jsapi()
                .prepayWithRequestPayment(sdk.prepayRequest(outTradeNo, fen, "bob", receiver.url()))
                .getPackageVal()
                .substring("prepay_id=".length());
        sim.pay(prepayId);
    }

    static CreateRequest refund(String outTradeNo, String outRefundNo, long refund, long total) {
        CreateRequest request = new CreateRequest();
        request.setOutTradeNo(outTradeNo);
        request.setOutRefundNo(outRefundNo);
        request.setNotifyUrl(receiver.url());
        AmountReq amount = new AmountReq();
        amount.setRefund(refund);
        amount.setTotal(total);
        amount.setCurrency("CNY");
        request.setAmount(amount);
        return request;
    }

    static QueryByOutRefundNoRequest query(String outRefundNo) {
        QueryByOutRefundNoRequest request = new QueryByOutRefundNoRequest();
        request.setOutRefundNo(outRefundNo);
        return request;
    }
}
