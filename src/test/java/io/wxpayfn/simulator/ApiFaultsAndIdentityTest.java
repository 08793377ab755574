package io.wxpayfn.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.wechat.pay.java.core.exception.HttpException;
import com.wechat.pay.java.core.exception.ServiceException;
import io.wxpayfn.order.WeChatLoginRules;
import io.wxpayfn.order.WeChatPayRules;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApiFaultsAndIdentityTest {

    static WeChatPaySimulator sim;
    static SdkClient sdk;
    static final String NOTIFY = "https://merchant.example.com/n";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        sim = WeChatPaySimulator.start(SimulatorOptions.defaults());
        sdk = new SdkClient(sim, Duration.ofMillis(500));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void injected500And503And429ReachTheSdkAsServiceExceptions() {
        String jsapi = "/v3/pay/transactions/jsapi";
        sim.faults()
                .failNextCalls(jsapi, 1, ApiFailure.systemError())
                .failNextCalls(jsapi, 1, ApiFailure.serviceUnavailable())
                .failNextCalls(jsapi, 1, ApiFailure.frequencyLimited());
        for (String code :
                new String[] {WeChatPayRules.SYSTEM_ERROR, "SERVICE_UNAVAILABLE", WeChatPayRules.FREQUENCY_LIMITED}) {
            ServiceException e = assertThrows(
                    ServiceException.class,
                    () -> sdk.jsapi().prepayWithRequestPayment(sdk.prepayRequest("FAULTY0001", 100, "erin", NOTIFY)));
            assertEquals(code, e.getErrorCode());
        }
        assertTrue(sim.transaction("FAULTY0001").isEmpty(), "a failure before the operation changes nothing");
    }

    @Test
    void aLostAnswerAfterPrepayLeavesTheOrderCreated() {
        sim.faults().failNextCallsAfterProcessing("/v3/pay/transactions/jsapi", 1, ApiFailure.systemError());
        assertThrows(
                ServiceException.class,
                () -> sdk.jsapi().prepayWithRequestPayment(sdk.prepayRequest("LOSTANSWER1", 100, "erin", NOTIFY)));
        String prepayId = sim.transaction("LOSTANSWER1").orElseThrow().prepayId();
        String again = sdk.jsapi()
                .prepayWithRequestPayment(sdk.prepayRequest("LOSTANSWER1", 100, "erin", NOTIFY))
                .getPackageVal();
        assertEquals("prepay_id=" + prepayId, again);
    }

    @Test
    void aHangLongerThanTheClientTimeoutIsAnHttpException() {
        sim.faults().failNextCalls("/v3/pay/transactions/jsapi", 1, ApiFailure.hang(Duration.ofSeconds(3)));
        assertThrows(
                HttpException.class,
                () -> sdk.jsapi().prepayWithRequestPayment(sdk.prepayRequest("HANGING001", 100, "erin", NOTIFY)));
    }

    @Test
    void jscode2sessionExchangesAnIssuedCodeOnce() throws Exception {
        String code = sim.loginCode("frank");
        JsonNode first = code2session(sim.merchant().appSecret(), code);
        assertEquals(sim.openidOf("frank"), first.get("openid").asText());
        assertEquals(
                WeChatLoginRules.CODE_USED,
                code2session(sim.merchant().appSecret(), code).get("errcode").asInt());
        assertEquals(
                WeChatLoginRules.INVALID_CODE,
                code2session(sim.merchant().appSecret(), "never-issued")
                        .get("errcode")
                        .asInt());
        assertEquals(
                WeChatLoginRules.INVALID_APPSECRET,
                code2session("wrong", sim.loginCode("frank")).get("errcode").asInt());
    }

    @Test
    void aBusyOrRateLimitedLoginAnswersItsRetryableErrcodeAndLeavesTheCodeUsable() throws Exception {
        String code = sim.loginCode("hana");
        sim.failNextLogins(1, WeChatLoginRules.FREQUENCY_LIMITED);
        sim.failNextLogins(1, WeChatLoginRules.SYSTEM_BUSY);
        for (int expected : new int[] {WeChatLoginRules.FREQUENCY_LIMITED, WeChatLoginRules.SYSTEM_BUSY}) {
            int errcode = code2session(sim.merchant().appSecret(), code)
                    .get("errcode")
                    .asInt();
            assertEquals(expected, errcode);
            assertTrue(WeChatLoginRules.RETRYABLE_ERRCODES.contains(errcode));
        }
        assertEquals(
                sim.openidOf("hana"),
                code2session(sim.merchant().appSecret(), code).get("openid").asText());
    }

    @Test
    void simHttpApiLogsInAndPays() throws Exception {
        JsonNode login = post("/sim/login", "{\"user\":\"gina\"}");
        assertEquals(sim.openidOf("gina"), login.get("openid").asText());
        String prepayId = sdk.jsapi()
                .prepayWithRequestPayment(sdk.prepayRequest("SIMHTTP001", 100, "gina", NOTIFY))
                .getPackageVal()
                .substring("prepay_id=".length());
        assertTrue(get("/sim/cashier?prepay_id=" + prepayId).contains("<button"));
        post("/sim/pay", "{\"prepay_id\":\"" + prepayId + "\"}");
        assertEquals(
                "SUCCESS",
                WireFormat.JSON
                        .readTree(get("/sim/transactions/SIMHTTP001"))
                        .get("trade_state")
                        .asText());
    }

    private static JsonNode code2session(String secret, String code) throws Exception {
        return WireFormat.JSON.readTree(
                get("/sns/jscode2session?appid=" + sim.merchant().appid() + "&secret=" + secret + "&js_code=" + code
                        + "&grant_type=authorization_code"));
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static JsonNode post(String path, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return WireFormat.JSON.readTree(response.body());
    }
}
