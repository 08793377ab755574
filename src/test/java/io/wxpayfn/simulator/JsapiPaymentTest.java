package io.wxpayfn.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.service.payments.jsapi.model.CloseOrderRequest;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayWithRequestPaymentResponse;
import com.wechat.pay.java.service.payments.jsapi.model.QueryOrderByIdRequest;
import com.wechat.pay.java.service.payments.jsapi.model.QueryOrderByOutTradeNoRequest;
import com.wechat.pay.java.service.payments.model.Transaction;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class JsapiPaymentTest extends SimulatorWithSdk {

    @Test
    void prepayWithRequestPaymentAnswersParametersSignedWithTheMerchantKey() {
        PrepayWithRequestPaymentResponse params =
                jsapi.prepayWithRequestPayment(sdk.prepayRequest("PAYPARAMS01", 100, "alice", NOTIFY));

        assertEquals(sim.merchant().appid(), params.getAppId());
        assertEquals("RSA", params.getSignType());
        String prepayId = params.getPackageVal().substring("prepay_id=".length());
        assertEquals(prepayId, sim.transaction("PAYPARAMS01").orElseThrow().prepayId());
        String message = params.getAppId() + "\n" + params.getTimeStamp() + "\n" + params.getNonceStr() + "\n"
                + params.getPackageVal() + "\n";
        assertTrue(SimCrypto.verify(sim.merchant().merchantPublicKey(), message, params.getPaySign()));
    }

    @Test
    void queryOrderByOutTradeNoAndByIdAfterPay() {
        String prepayId = prepay("QUERYPAID01", 1234);
        Transaction unpaid = jsapi.queryOrderByOutTradeNo(byOutTradeNo("QUERYPAID01"));
        assertEquals(Transaction.TradeStateEnum.NOTPAY, unpaid.getTradeState());
        assertNull(unpaid.getTransactionId());

        PaymentResult paid = sim.pay(prepayId);

        Transaction byNo = jsapi.queryOrderByOutTradeNo(byOutTradeNo("QUERYPAID01"));
        assertEquals(Transaction.TradeStateEnum.SUCCESS, byNo.getTradeState());
        assertEquals(paid.transactionId(), byNo.getTransactionId());
        assertEquals(1234, byNo.getAmount().getTotal());
        assertEquals(1234, byNo.getAmount().getPayerTotal());
        assertEquals(sim.openidOf("alice"), byNo.getPayer().getOpenid());
        assertEquals(paid.successTime(), OffsetDateTime.parse(byNo.getSuccessTime()));

        QueryOrderByIdRequest byId = new QueryOrderByIdRequest();
        byId.setMchid(sim.merchant().mchid());
        byId.setTransactionId(paid.transactionId());
        assertEquals("QUERYPAID01", jsapi.queryOrderById(byId).getOutTradeNo());
    }

    @Test
    void queryOfAnUnknownOrderIsOrderNotExist() {
        ServiceException e =
                assertThrows(ServiceException.class, () -> jsapi.queryOrderByOutTradeNo(byOutTradeNo("NOSUCHORDER")));
        assertEquals(404, e.getHttpStatusCode());
        assertEquals("ORDER_NOT_EXIST", e.getErrorCode());
    }

    @Test
    void closeOrderAnswersSigned204AndTheOrderCannotBePaidAnymore() {
        String prepayId = prepay("CLOSEME001", 100);
        jsapi.closeOrder(close("CLOSEME001"));

        assertEquals(
                TradeState.CLOSED, sim.transaction("CLOSEME001").orElseThrow().state());
        assertThrows(IllegalStateException.class, () -> sim.pay(prepayId));
    }

    @Test
    void closingAPaidOrderIsOrderPaid() {
        sim.pay(prepay("CLOSEPAID01", 100));
        ServiceException e = assertThrows(ServiceException.class, () -> jsapi.closeOrder(close("CLOSEPAID01")));
        assertEquals("ORDERPAID", e.getErrorCode());
    }

    @Test
    void anExpiredOrderCannotBePaidExceptThroughTheRaceHook() {
        PrepayRequest request = sdk.prepayRequest("EXPIRED001", 100, "alice", NOTIFY);
        request.setTimeExpire(OffsetDateTime.now().minusSeconds(1).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        String prepayId =
                jsapi.prepayWithRequestPayment(request).getPackageVal().substring(10);

        assertThrows(IllegalStateException.class, () -> sim.pay(prepayId));
        assertEquals(
                TradeState.SUCCESS,
                sim.transaction("EXPIRED001")
                        .map(t -> {
                            sim.payIgnoringExpiry("EXPIRED001");
                            return sim.transaction("EXPIRED001").orElseThrow().state();
                        })
                        .orElseThrow());
    }

    @Test
    void resendingTheSamePrepayAnswersTheSamePrepayId() {
        PrepayRequest request = sdk.prepayRequest("SAMEPREPAY1", 100, "alice", NOTIFY);
        String first = jsapi.prepayWithRequestPayment(request).getPackageVal();
        String second = jsapi.prepayWithRequestPayment(request).getPackageVal();
        assertEquals(first, second);
        assertNotNull(sim.transaction("SAMEPREPAY1").orElseThrow().prepayId());
    }

    static String prepay(String outTradeNo, int fen) {
        return jsapi.prepayWithRequestPayment(sdk.prepayRequest(outTradeNo, fen, "alice", NOTIFY))
                .getPackageVal()
                .substring("prepay_id=".length());
    }

    static QueryOrderByOutTradeNoRequest byOutTradeNo(String outTradeNo) {
        QueryOrderByOutTradeNoRequest request = new QueryOrderByOutTradeNoRequest();
        request.setMchid(sim.merchant().mchid());
        request.setOutTradeNo(outTradeNo);
        return request;
    }

    static CloseOrderRequest close(String outTradeNo) {
        CloseOrderRequest request = new CloseOrderRequest();
        request.setMchid(sim.merchant().mchid());
        request.setOutTradeNo(outTradeNo);
        return request;
    }
}
