package io.wxpayfn.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.service.refund.RefundService;
import com.wechat.pay.java.service.refund.model.AmountReq;
import com.wechat.pay.java.service.refund.model.CreateRequest;
import com.wechat.pay.java.service.refund.model.QueryByOutRefundNoRequest;
import com.wechat.pay.java.service.refund.model.Refund;
import com.wechat.pay.java.service.refund.model.RefundNotification;
import com.wechat.pay.java.service.refund.model.Status;
import java.time.Duration;
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
        paidOrder("REFUND51TIMES", 100);
        for (int i = 1; i <= 50; i++) {
            refunds.create(refund("REFUND51TIMES", "R-51-" + i, 1, 100));
        }
        ServiceException e =
                assertThrows(ServiceException.class, () -> refunds.create(refund("REFUND51TIMES", "R-51-51", 1, 100)));
        assertEquals("INVALID_REQUEST", e.getErrorCode());
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
