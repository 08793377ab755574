package io.wxpayfn.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.service.billdownload.model.GetTradeBillRequest;
import com.wechat.pay.java.service.partnerpayments.jsapi.JsapiServiceExtension;
import com.wechat.pay.java.service.partnerpayments.jsapi.model.Amount;
import com.wechat.pay.java.service.partnerpayments.jsapi.model.CloseOrderRequest;
import com.wechat.pay.java.service.partnerpayments.jsapi.model.Payer;
import com.wechat.pay.java.service.partnerpayments.jsapi.model.PrepayRequest;
import com.wechat.pay.java.service.partnerpayments.jsapi.model.PrepayWithRequestPaymentResponse;
import com.wechat.pay.java.service.partnerpayments.jsapi.model.QueryOrderByIdRequest;
import com.wechat.pay.java.service.partnerpayments.jsapi.model.QueryOrderByOutTradeNoRequest;
import com.wechat.pay.java.service.partnerpayments.jsapi.model.Transaction;
import com.wechat.pay.java.service.refund.RefundService;
import com.wechat.pay.java.service.refund.model.AmountReq;
import com.wechat.pay.java.service.refund.model.CreateRequest;
import com.wechat.pay.java.service.refund.model.QueryByOutRefundNoRequest;
import com.wechat.pay.java.service.refund.model.Refund;
import com.wechat.pay.java.service.refund.model.Status;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service-provider API through the SDK's partner services: a provider (sp_mchid, sp_appid) paid on
 * behalf of its two bound sub-merchants, one with a mini-program of its own (sub_appid).
 */
class PartnerApiTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final SimSubMerchant WITH_APP = SimulatorOptions.SUB_MERCHANT_WITH_APP;
    static final SimSubMerchant OF_PROVIDER_APP = SimulatorOptions.SUB_MERCHANT_OF_PROVIDER_APP;

    static WeChatPaySimulator sim;
    static SdkClient sdk;
    static JsapiServiceExtension partner;
    static RefundService refunds;
    static NotifyReceiver receiver;

    @BeforeAll
    static void start() {
        sim = WeChatPaySimulator.start(SimulatorOptions.defaults().withTimeScale(0.001));
        sdk = new SdkClient(sim);
        partner = new JsapiServiceExtension.Builder()
                .config(sdk.config)
                .httpClient(sdk.httpClient)
                .build();
        refunds = sdk.refunds();
        receiver = new NotifyReceiver();
    }

    @AfterAll
    static void stop() {
        sim.close();
        receiver.close();
    }

    @Test
    void subMerchantsOwnMiniProgramPaysWithSubOpenidAndTheNotificationNamesBothParties() {
        PrepayWithRequestPaymentResponse params =
                partner.prepayWithRequestPayment(prepay("PARTNERSUB01", 990, WITH_APP, true), WITH_APP.subAppid());
        assertEquals(WITH_APP.subAppid(), params.getAppId());
        String message = params.getAppId() + "\n" + params.getTimeStamp() + "\n" + params.getNonceStr() + "\n"
                + params.getPackageVal() + "\n";
        assertTrue(SimCrypto.verify(sim.merchant().merchantPublicKey(), message, params.getPaySign()));

        sim.pay(params.getPackageVal().substring("prepay_id=".length()));
        sim.awaitAcknowledged("PARTNERSUB01", "TRANSACTION.SUCCESS", WAIT);
        Transaction notified = new NotificationParser(sdk.config)
                .parse(requestParam(sim.signedNotification("PARTNERSUB01")), Transaction.class);
        assertEquals(sim.merchant().mchid(), notified.getSpMchid());
        assertEquals(sim.merchant().appid(), notified.getSpAppid());
        assertEquals(WITH_APP.subMchid(), notified.getSubMchid());
        assertEquals(WITH_APP.subAppid(), notified.getSubAppid());
        assertEquals(
                sim.openidOf("alice", WITH_APP.subAppid()), notified.getPayer().getSubOpenid());
        assertEquals(sim.openidOf("alice"), notified.getPayer().getSpOpenid(), "the same user under sp_appid");
        assertEquals(990, notified.getAmount().getPayerTotal());
    }

    @Test
    void queriesByOutTradeNoAndByIdSeeTheOrderOnlyUnderItsOwnSubMerchant() {
        PaymentResult paid = sim.pay(prepayId("PARTNERQRY01", 500, OF_PROVIDER_APP, false));
        Transaction byNo = partner.queryOrderByOutTradeNo(byOutTradeNo("PARTNERQRY01", OF_PROVIDER_APP.subMchid()));
        assertEquals(Transaction.TradeStateEnum.SUCCESS, byNo.getTradeState());
        assertNull(byNo.getSubAppid());
        assertEquals(sim.openidOf("alice"), byNo.getPayer().getSpOpenid());
        QueryOrderByIdRequest byId = new QueryOrderByIdRequest();
        byId.setSpMchid(sim.merchant().mchid());
        byId.setSubMchid(OF_PROVIDER_APP.subMchid());
        byId.setTransactionId(paid.transactionId());
        assertEquals("PARTNERQRY01", partner.queryOrderById(byId).getOutTradeNo());

        ServiceException other = assertThrows(
                ServiceException.class,
                () -> partner.queryOrderByOutTradeNo(byOutTradeNo("PARTNERQRY01", WITH_APP.subMchid())));
        assertEquals(404, other.getHttpStatusCode());
        assertEquals("ORDER_NOT_EXIST", other.getErrorCode());
        byId.setSubMchid(WITH_APP.subMchid());
        assertEquals(
                "ORDER_NOT_EXIST",
                assertThrows(ServiceException.class, () -> partner.queryOrderById(byId))
                        .getErrorCode());
    }

    @Test
    void aSubMchidNotBoundToTheProviderIsRefusedAsNoAuth() {
        PrepayRequest request = prepay("PARTNERNOB01", 100, OF_PROVIDER_APP, false);
        request.setSubMchid("1900000999");
        ServiceException e = assertThrows(
                ServiceException.class,
                () -> partner.prepayWithRequestPayment(request, sim.merchant().appid()));
        assertEquals(403, e.getHttpStatusCode());
        assertEquals("NO_AUTH", e.getErrorCode());
        assertTrue(sim.transaction("PARTNERNOB01").isEmpty());
        assertEquals(
                "NO_AUTH",
                assertThrows(
                                ServiceException.class,
                                () -> partner.queryOrderByOutTradeNo(byOutTradeNo("PARTNERNOB01", "1900000999")))
                        .getErrorCode());
    }

    @Test
    void aSubAppidOfAnotherSubMerchantOrASubOpenidWithoutSubAppidIsRefused() {
        PrepayRequest foreignApp = prepay("PARTNERAPP01", 100, OF_PROVIDER_APP, false);
        foreignApp.setSubAppid(WITH_APP.subAppid());
        assertEquals(
                "APPID_MCHID_NOT_MATCH",
                assertThrows(
                                ServiceException.class,
                                () -> partner.prepayWithRequestPayment(foreignApp, WITH_APP.subAppid()))
                        .getErrorCode());

        PrepayRequest noSubAppid = prepay("PARTNERAPP02", 100, WITH_APP, true);
        noSubAppid.setSubAppid(null);
        ServiceException e = assertThrows(
                ServiceException.class,
                () -> partner.prepayWithRequestPayment(
                        noSubAppid, sim.merchant().appid()));
        assertEquals("PARAM_ERROR", e.getErrorCode());
        assertTrue(e.getErrorMessage().contains("sub_appid"), e.getErrorMessage());
    }

    @Test
    void closeNamesTheSubMerchantAndAnotherOnesCloseFindsNoOrder() {
        prepayId("PARTNERCLS01", 100, WITH_APP, true);
        CloseOrderRequest wrong = close("PARTNERCLS01", OF_PROVIDER_APP.subMchid());
        assertEquals(
                "ORDER_NOT_EXIST",
                assertThrows(ServiceException.class, () -> partner.closeOrder(wrong))
                        .getErrorCode());
        partner.closeOrder(close("PARTNERCLS01", WITH_APP.subMchid()));
        assertEquals(
                TradeState.CLOSED, sim.transaction("PARTNERCLS01").orElseThrow().state());
    }

    @Test
    void refundsAndTheirQueriesCarryTheSubMchidAndAreInvisibleWithoutIt() {
        sim.pay(prepayId("PARTNERREF01", 800, WITH_APP, true));
        CreateRequest request = new CreateRequest();
        request.setSubMchid(WITH_APP.subMchid());
        request.setOutTradeNo("PARTNERREF01");
        request.setOutRefundNo("PARTNERREF01R1");
        AmountReq amount = new AmountReq();
        amount.setRefund(300L);
        amount.setTotal(800L);
        amount.setCurrency("CNY");
        request.setAmount(amount);
        Refund created = refunds.create(request);
        assertEquals(Status.PROCESSING, created.getStatus());

        QueryByOutRefundNoRequest query = new QueryByOutRefundNoRequest();
        query.setOutRefundNo("PARTNERREF01R1");
        query.setSubMchid(WITH_APP.subMchid());
        assertEquals(300L, refunds.queryByOutRefundNo(query).getAmount().getRefund());
        query.setSubMchid(null);
        assertEquals(
                404,
                assertThrows(ServiceException.class, () -> refunds.queryByOutRefundNo(query))
                        .getHttpStatusCode());
        request.setSubMchid(null);
        request.setOutRefundNo("PARTNERREF01R2");
        assertEquals(
                404,
                assertThrows(ServiceException.class, () -> refunds.create(request))
                        .getHttpStatusCode());
    }

    @Test
    void theTradeBillOfASubMerchantListsOnlyItsTrades() throws Exception {
        sim.pay(prepayId("PARTNERBIL01", 100, WITH_APP, true));
        sim.pay(prepayId("PARTNERBIL02", 200, OF_PROVIDER_APP, false));
        GetTradeBillRequest request = new GetTradeBillRequest();
        request.setBillDate(sim.now().toLocalDate().toString());
        request.setSubMchid(WITH_APP.subMchid());
        String bill = new String(
                sdk.bills().getTradeBill(request).getInputStream().readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(bill.contains("`PARTNERBIL01"), bill);
        assertTrue(bill.contains("`" + WITH_APP.subMchid() + ","), "特约商户号 column");
        assertTrue(!bill.contains("PARTNERBIL02"), bill);
    }

    static com.wechat.pay.java.core.notification.RequestParam requestParam(SignedNotification n) {
        return new com.wechat.pay.java.core.notification.RequestParam.Builder()
                .serialNumber(n.headers().get("Wechatpay-Serial"))
                .nonce(n.headers().get("Wechatpay-Nonce"))
                .signature(n.headers().get("Wechatpay-Signature"))
                .timestamp(n.headers().get("Wechatpay-Timestamp"))
                .signType(n.headers().get("Wechatpay-Signature-Type"))
                .body(n.body())
                .build();
    }

    private static String prepayId(String outTradeNo, int fen, SimSubMerchant sub, boolean subApp) {
        return partner.prepayWithRequestPayment(
                        prepay(outTradeNo, fen, sub, subApp),
                        subApp ? sub.subAppid() : sim.merchant().appid())
                .getPackageVal()
                .substring("prepay_id=".length());
    }

    /** A valid partner prepay for "alice", paying in the sub-merchant's mini-program or the provider's. */
    static PrepayRequest prepay(String outTradeNo, int fen, SimSubMerchant sub, boolean inSubMerchantsApp) {
        PrepayRequest request = new PrepayRequest();
        request.setSpAppid(sim.merchant().appid());
        request.setSpMchid(sim.merchant().mchid());
        request.setSubMchid(sub.subMchid());
        request.setDescription("Partner test order");
        request.setOutTradeNo(outTradeNo);
        request.setNotifyUrl(receiver.url());
        Amount amount = new Amount();
        amount.setTotal(fen);
        amount.setCurrency("CNY");
        request.setAmount(amount);
        Payer payer = new Payer();
        if (inSubMerchantsApp) {
            request.setSubAppid(sub.subAppid());
            payer.setSubOpenid(sim.openidOf("alice", sub.subAppid()));
        } else {
            payer.setSpOpenid(sim.openidOf("alice"));
        }
        request.setPayer(payer);
        return request;
    }

    static QueryOrderByOutTradeNoRequest byOutTradeNo(String outTradeNo, String subMchid) {
        QueryOrderByOutTradeNoRequest request = new QueryOrderByOutTradeNoRequest();
        request.setSpMchid(sim.merchant().mchid());
        request.setSubMchid(subMchid);
        request.setOutTradeNo(outTradeNo);
        return request;
    }

    static CloseOrderRequest close(String outTradeNo, String subMchid) {
        CloseOrderRequest request = new CloseOrderRequest();
        request.setSpMchid(sim.merchant().mchid());
        request.setSubMchid(subMchid);
        request.setOutTradeNo(outTradeNo);
        return request;
    }
}
