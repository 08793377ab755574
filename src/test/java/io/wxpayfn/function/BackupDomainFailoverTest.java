package io.wxpayfn.function;

import static io.wxpayfn.function.Shop.assertOk;
import static io.wxpayfn.function.Shop.call;
import static io.wxpayfn.function.Shop.items;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.newKey;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.simulator.ApiFailure;
import io.wxpayfn.simulator.Endpoint;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WeChat Pay's backup domain (WECHATPAY_BACKUP_BASE_URL, set by the functions-in-partner-mode execution): when the
 * primary one is unreachable or does not answer in time, the SDK sends the same request there, so the function
 * answers; a prepay or refund the primary had already made is the same one at the backup, never a second.
 */
@QuarkusTest
class BackupDomainFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Longer than the 4 s read timeout: the primary acts, then its answer never comes. */
    private static final ApiFailure NO_ANSWER = ApiFailure.hang(Duration.ofSeconds(6));

    @Inject
    OrderStore store;

    @BeforeAll
    static void partnerModeOnly() {
        SimulatorResource.requirePartnerMode(BackupDomainFailoverTest.class);
    }

    @AfterEach
    void primaryUpAgain() {
        simulator().faults().clear();
        simulator().restartEndpoint(Endpoint.PRIMARY);
    }

    @Test
    void withThePrimaryDomainDownTheFunctionsAnswerThroughTheBackupOne() {
        // Logged in first: the simulator serves jscode2session (api.weixin.qq.com) on the primary endpoint too.
        String token = login("yara");
        simulator().stopEndpoint(Endpoint.PRIMARY);

        JsonPath placed = Shop.unifiedOrder(token, items("coffee-latte", 1), newKey());
        assertOk(placed);
        String outTradeNo = placed.getString("data.order.outTradeNo");
        Shop.payAndAwaitCallback(new String[] {
            outTradeNo, placed.getString("data.payment.package").substring("prepay_id=".length())
        });
        JsonPath refund = call(token, "refund", Map.of("outTradeNo", outTradeNo));
        assertOk(refund);
        simulator().awaitAcknowledged(outTradeNo + "R01", "REFUND.SUCCESS", WAIT);

        assertEquals("REFUNDED", Shop.queryOrder(token, outTradeNo).getString("data.status"));
        assertEquals(true, simulator().requests(Endpoint.BACKUP).contains("POST /v3/pay/partner/transactions/jsapi"));
        assertEquals(true, simulator().requests(Endpoint.BACKUP).contains("POST /v3/refund/domestic/refunds"));
    }

    @Test
    void aPrepayThePrimaryMadeWithoutAnsweringIsAnsweredByTheBackupAndNotMadeTwice() {
        String token = login("zoe");
        long primaryBefore = calls(Endpoint.PRIMARY, "POST /v3/pay/partner/transactions/jsapi");
        simulator().faults().failNextCallsAfterProcessing("/v3/pay/partner/transactions/jsapi", 1, NO_ANSWER);

        JsonPath placed = Shop.unifiedOrder(token, items("cake-cheese", 1), newKey());

        assertOk(placed);
        String outTradeNo = placed.getString("data.order.outTradeNo");
        assertEquals(primaryBefore + 1, calls(Endpoint.PRIMARY, "POST /v3/pay/partner/transactions/jsapi"));
        assertEquals(
                1,
                simulator().transactions().stream()
                        .filter(t -> t.outTradeNo().equals(outTradeNo))
                        .count());
        assertEquals(
                "prepay_id=" + simulator().transaction(outTradeNo).orElseThrow().prepayId(),
                placed.getString("data.payment.package"),
                "the order the primary made, answered by the backup");
    }

    @Test
    void aRefundThePrimaryMadeWithoutAnsweringIsAnsweredByTheBackupAndNotMadeTwice() {
        String token = login("abel");
        String[] order = Shop.placeLatte(token);
        Shop.payAndAwaitCallback(order);
        simulator().faults().holdRefunds(order[0] + "R01");
        simulator().faults().failNextCallsAfterProcessing("/v3/refund/domestic/refunds", 1, NO_ANSWER);

        JsonPath refund = call(token, "refund", Map.of("outTradeNo", order[0]));

        assertOk(refund);
        assertEquals(
                1,
                simulator().refunds().stream()
                        .filter(r -> r.outTradeNo().equals(order[0]))
                        .count());
        assertEquals(
                simulator().refund(order[0] + "R01").orElseThrow().refundId(),
                refund.getString("data.refund.refundId"));
        assertEquals(1, store.find(order[0]).orElseThrow().refunds().size());
    }

    private static long calls(Endpoint endpoint, String request) {
        return simulator().requests(endpoint).stream().filter(request::equals).count();
    }
}
