package io.wxpayfn.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayWithRequestPaymentResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cashier page and wx.requestPayment's stand-in, as a browser and a mini-program use them. */
class CashierPageTest extends SimulatorWithSdk {

    /** Refused at once on loopback: the notification fails without leaving the machine. */
    private static final String NOTIFY_NOWHERE = "http://127.0.0.1:9/pay/notify";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void cashierShowsTheAmountInYuanExactlyTheMerchantTheOrderAndAMobileViewport() throws Exception {
        for (int fen : new int[] {1, 9100, 123456}) {
            String outTradeNo = "CASHAMT" + fen;
            String page =
                    get("/sim/cashier?prepay_id=" + prepay(outTradeNo, fen)).body();
            String yuan = fen == 1 ? "0.01" : fen == 9100 ? "91.00" : "1234.56";
            assertTrue(page.contains("data-test=\"amount\"><span>¥</span>" + yuan + "</p>"), page);
            assertTrue(
                    page.contains(outTradeNo)
                            && page.contains("商户号 " + sim.merchant().mchid()),
                    page);
            assertTrue(page.contains("name=\"viewport\" content=\"width=device-width"), page);
            assertTrue(page.contains(">待支付<") && page.contains("value=\"pay\""), page);
        }
    }

    @Test
    void afterPayingTheStateIsInWordsThereIsNoPayButtonAndTheWayBackCarriesTheResult() throws Exception {
        String prepayId = prepay("CASHPAID01", 2800);
        HttpResponse<String> paid = postForm("prepay_id=" + prepayId + "&action=pay&return=" + enc("/shop/"));
        assertEquals(303, paid.statusCode());
        String location = paid.headers().firstValue("Location").orElseThrow();
        assertEquals("/sim/cashier?prepay_id=" + prepayId + "&return=" + enc("/shop/"), location);

        String page = get(location).body();
        assertTrue(page.contains(">支付成功<"), page);
        assertFalse(page.contains("value=\"pay\""), "no Pay button once paid");
        assertFalse(page.contains("SUCCESS"), "no raw WeChat codes");
        assertTrue(page.contains("href=\"/shop/?result=paid&amp;out_trade_no=CASHPAID01\""), page);
        assertEquals(
                TradeState.SUCCESS, sim.transaction("CASHPAID01").orElseThrow().state());

        assertEquals(
                409, postForm("prepay_id=" + prepayId + "&action=pay").statusCode(), "a second payment is refused");
        // The notification goes out on the simulator's own threads: wait for its first attempt before counting.
        sim.awaitDeliveries(d -> d.concerns("CASHPAID01"), 1, java.time.Duration.ofSeconds(10));
        assertEquals(
                1,
                sim.deliveries().stream()
                        .filter(d -> d.concerns("CASHPAID01"))
                        .map(Delivery::notificationId)
                        .distinct()
                        .count(),
                "paid once, notified once");
    }

    @Test
    void payAndDropTheNotificationPaysAndNeverNotifies() throws Exception {
        String prepayId = prepay("CASHDROP01", 2200);
        assertEquals(303, postForm("prepay_id=" + prepayId + "&action=pay-drop").statusCode());
        assertEquals(
                TradeState.SUCCESS, sim.transaction("CASHDROP01").orElseThrow().state());
        List<Delivery.Kind> kinds = sim.deliveries().stream()
                .filter(d -> d.concerns("CASHDROP01"))
                .map(Delivery::kind)
                .toList();
        assertEquals(List.of(Delivery.Kind.DROPPED), kinds);
        assertTrue(get("/sim/cashier?prepay_id=" + prepayId).body().contains("支付通知已按测试要求丢弃"));
    }

    @Test
    void cancelGoesBackUnpaidAndOnlyToAPathOfTheSameSite() throws Exception {
        String prepayId = prepay("CASHCANCEL", 3500);
        HttpResponse<String> cancelled =
                postForm("prepay_id=" + prepayId + "&action=cancel&return=" + enc("/shop/?a=1"));
        assertEquals(303, cancelled.statusCode());
        assertEquals(
                "/shop/?a=1&result=cancel&out_trade_no=CASHCANCEL",
                cancelled.headers().firstValue("Location").orElseThrow());
        assertEquals(
                TradeState.NOTPAY, sim.transaction("CASHCANCEL").orElseThrow().state());

        for (String elsewhere : new String[] {"https://evil.example/", "//evil.example/", "/\\evil.example/"}) {
            HttpResponse<String> stay = postForm("prepay_id=" + prepayId + "&action=cancel&return=" + enc(elsewhere));
            assertEquals(200, stay.statusCode(), elsewhere);
            assertTrue(stay.body().contains("已取消支付") && !stay.body().contains("evil.example"), stay.body());
        }
        assertEquals(404, get("/sim/cashier?prepay_id=wx-no-such-prepay").statusCode());
    }

    @Test
    void requestPaymentPaysOnlyWithTheMerchantsPaySignOverTheFourLines() throws Exception {
        PrepayWithRequestPaymentResponse params =
                jsapi.prepayWithRequestPayment(sdk.prepayRequest("CASHSIGN01", 100, "ivy", NOTIFY_NOWHERE));
        ObjectNode request = WireFormat.JSON
                .createObjectNode()
                .put("appId", params.getAppId())
                .put("timeStamp", params.getTimeStamp())
                .put("nonceStr", params.getNonceStr())
                .put("package", params.getPackageVal())
                .put("signType", params.getSignType())
                .put("paySign", params.getPaySign());

        String aSecondLater = String.valueOf(Long.parseLong(params.getTimeStamp()) + 1);
        ObjectNode otherTime = request.deepCopy().put("timeStamp", aSecondLater);
        HttpResponse<String> forged = postJson(otherTime.toString());
        assertEquals(401, forged.statusCode());
        assertTrue(forged.body().contains("SIGN_ERROR"), forged.body());
        assertEquals(
                400,
                postJson(request.deepCopy().put("appId", "wx0000000000000000").toString())
                        .statusCode());
        assertEquals(
                TradeState.NOTPAY, sim.transaction("CASHSIGN01").orElseThrow().state());

        HttpResponse<String> paid = postJson(request.toString());
        assertEquals(200, paid.statusCode(), paid.body());
        assertEquals(
                "CASHSIGN01",
                WireFormat.JSON.readTree(paid.body()).path("out_trade_no").asText());
        assertEquals(409, postJson(request.toString()).statusCode(), "paid orders are not payable again");
    }

    private static String prepay(String outTradeNo, int fen) {
        return jsapi.prepayWithRequestPayment(sdk.prepayRequest(outTradeNo, fen, "ivy", NOTIFY_NOWHERE))
                .getPackageVal()
                .substring("prepay_id=".length());
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postForm(String form) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/sim/cashier"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postJson(String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/sim/requestPayment"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
