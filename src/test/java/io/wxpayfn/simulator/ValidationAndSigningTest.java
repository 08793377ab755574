package io.wxpayfn.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest;
import io.wxpayfn.order.WeChatPayRules;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValidationAndSigningTest extends SimulatorWithSdk {

    @Test
    void aRequestSignedWithAnotherKeyIsSignError() {
        String foreignPem = SimCrypto.privateKeyPem(SimCrypto.newRsaKeyPair().getPrivate());
        SdkClient impostor = new SdkClient(sim, SdkClient.configFor(sim.merchant(), foreignPem), Duration.ofSeconds(5));
        ServiceException e = assertThrows(
                ServiceException.class,
                () -> impostor.jsapi().prepayWithRequestPayment(sdk.prepayRequest("IMPOSTOR01", 100, "alice", NOTIFY)));
        assertEquals(401, e.getHttpStatusCode());
        assertEquals("SIGN_ERROR", e.getErrorCode());
    }

    @Test
    void badOutTradeNoIsParamError() {
        assertRefused("PARAM_ERROR", sdk.prepayRequest("bad no!", 100, "alice", NOTIFY));
        assertRefused("PARAM_ERROR", sdk.prepayRequest("SHORT", 100, "alice", NOTIFY));
    }

    @Test
    void anOutTradeNoOfTheDocumentedMaximumLengthIsTakenAndOneCharacterMoreIsParamError() {
        int max = WeChatPayRules.OUT_TRADE_NO_MAX_LENGTH;
        jsapi.prepayWithRequestPayment(sdk.prepayRequest("L".repeat(max), 100, "alice", NOTIFY));
        assertRefused("PARAM_ERROR", sdk.prepayRequest("M".repeat(max + 1), 100, "alice", NOTIFY));
    }

    @Test
    void aDescriptionOfTheDocumentedMaximumIsTakenAndOneCharacterMoreIsParamError() {
        PrepayRequest longest = sdk.prepayRequest("LONGDESC00", 100, "alice", NOTIFY);
        // characters, not UTF-16 units or bytes: a supplementary character counts once
        longest.setDescription("😀" + "商".repeat(WeChatPayRules.DESCRIPTION_MAX_LENGTH - 1));
        jsapi.prepayWithRequestPayment(longest);
        PrepayRequest request = sdk.prepayRequest("LONGDESC01", 100, "alice", NOTIFY);
        request.setDescription("商".repeat(WeChatPayRules.DESCRIPTION_MAX_LENGTH + 1));
        assertRefused("PARAM_ERROR", request);
    }

    @Test
    void amountZeroIsParamError() {
        assertRefused("PARAM_ERROR", sdk.prepayRequest("ZEROAMOUNT1", 0, "alice", NOTIFY));
    }

    @Test
    void theLargestDocumentedTotalIsTaken() {
        jsapi.prepayWithRequestPayment(
                sdk.prepayRequest("MAXTOTAL01", Math.toIntExact(WeChatPayRules.MAX_TOTAL_FEN), "alice", NOTIFY));
        assertEquals(
                WeChatPayRules.MAX_TOTAL_FEN,
                sim.transaction("MAXTOTAL01").orElseThrow().total());
    }

    @Test
    void plainHttpNotifyUrlOutsideLoopbackIsParamError() {
        assertRefused("PARAM_ERROR", sdk.prepayRequest("HTTPNOTIFY1", 100, "alice", "http://merchant.example.com/n"));
        assertRefused("PARAM_ERROR", sdk.prepayRequest("QUERYNOTIF1", 100, "alice", NOTIFY + "?a=1"));
    }

    @Test
    void anOpenidTheSimulatorNeverIssuedIsRefused() {
        PrepayRequest request = sdk.prepayRequest("STRANGER01", 100, "alice", NOTIFY);
        request.getPayer().setOpenid("oNotFromThisApp");
        assertRefused("PARAM_ERROR", request);
    }

    @Test
    void anotherAppidIsAppidMchidNotMatch() {
        PrepayRequest request = sdk.prepayRequest("OTHERAPP01", 100, "alice", NOTIFY);
        request.setAppid("wx0000000000000000");
        assertRefused("APPID_MCHID_NOT_MATCH", request);
    }

    @Test
    void anAppidLongerThanTheDocumentedMaximumIsParamErrorAndAnotherOfThatLengthIsNotMatch() {
        PrepayRequest tooLong = sdk.prepayRequest("LONGAPPID01", 100, "alice", NOTIFY);
        tooLong.setAppid("wx" + "a".repeat(WeChatPayRules.APPID_MAX_LENGTH - 1));
        assertRefused("PARAM_ERROR", tooLong);
        PrepayRequest longest = sdk.prepayRequest("LONGAPPID02", 100, "alice", NOTIFY);
        longest.setAppid("wx" + "a".repeat(WeChatPayRules.APPID_MAX_LENGTH - 2));
        assertRefused("APPID_MCHID_NOT_MATCH", longest);
    }

    @Test
    void reusingAnOutTradeNoWithDifferentContentIsOutTradeNoUsed() {
        jsapi.prepayWithRequestPayment(sdk.prepayRequest("REUSED0001", 100, "alice", NOTIFY));
        assertRefused("OUT_TRADE_NO_USED", sdk.prepayRequest("REUSED0001", 200, "alice", NOTIFY));
    }

    private static void assertRefused(String code, PrepayRequest request) {
        ServiceException e = assertThrows(ServiceException.class, () -> jsapi.prepayWithRequestPayment(request));
        assertEquals(code, e.getErrorCode(), e.getResponseBody());
    }
}
