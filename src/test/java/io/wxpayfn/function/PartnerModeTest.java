package io.wxpayfn.function;

import static io.wxpayfn.function.Shop.assertOk;
import static io.wxpayfn.function.Shop.call;
import static io.wxpayfn.function.Shop.items;
import static io.wxpayfn.function.Shop.newKey;
import static io.wxpayfn.function.Shop.operatorCall;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.simulator.NotificationFault;
import io.wxpayfn.simulator.SimCrypto;
import io.wxpayfn.simulator.SimSubMerchant;
import io.wxpayfn.simulator.SimTransaction;
import io.wxpayfn.simulator.SimulatorOptions;
import io.wxpayfn.simulator.TradeState;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A service provider's deployment for two sub-merchants (run by the functions-in-partner-mode execution): the
 * outsourced one has a mini-program of its own (sub_appid), the centralised one is paid in the provider's
 * (sp_appid). Whom an order is paid to comes from the catalogue, and each sub-merchant is reconciled on its own bill.
 */
@QuarkusTest
class PartnerModeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final SimSubMerchant OUTSOURCED = SimulatorOptions.SUB_MERCHANT_WITH_APP;
    private static final SimSubMerchant CENTRALISED = SimulatorOptions.SUB_MERCHANT_OF_PROVIDER_APP;

    @Inject
    OrderStore store;

    @BeforeAll
    static void partnerModeOnly() {
        SimulatorResource.requirePartnerMode(PartnerModeTest.class);
    }

    /** Logged in through the provider's own mini-program: login is not told an appid, sp_appid is the default. */
    private static String loginToTheProvidersMiniProgram(String user) {
        return call(null, "login", Map.of("code", simulator().loginCode(user))).getString("data.token");
    }

    private static String[] placed(JsonPath answer) {
        assertOk(answer);
        return new String[] {
            answer.getString("data.order.outTradeNo"),
            answer.getString("data.payment.package").substring("prepay_id=".length())
        };
    }

    @Test
    void theOutsourcedSubMerchantsOrderIsPaidInItsOwnMiniProgramWithRequestPaymentSignedForIt() {
        JsonPath answer = Shop.unifiedOrder(Shop.login("olga"), items("coffee-latte", 1), newKey());
        String[] order = placed(answer);

        SimTransaction atWeChat = simulator().transaction(order[0]).orElseThrow();
        assertEquals(OUTSOURCED.subMchid(), atWeChat.subMchid());
        assertEquals(OUTSOURCED.subAppid(), atWeChat.subAppid());
        assertEquals(simulator().openidOf("olga", OUTSOURCED.subAppid()), atWeChat.subOpenid());
        assertEquals(simulator().merchant().mchid(), atWeChat.mchid(), "sp_mchid");
        assertEquals(OUTSOURCED.subAppid(), answer.getString("data.payment.appId"));
        String message = answer.getString("data.payment.appId") + "\n" + answer.getString("data.payment.timeStamp")
                + "\n" + answer.getString("data.payment.nonceStr") + "\n" + answer.getString("data.payment.package")
                + "\n";
        assertTrue(SimCrypto.verify(
                simulator().merchant().merchantPublicKey(), message, answer.getString("data.payment.paySign")));

        Shop.payAndAwaitCallback(order);
        Order paid = store.find(order[0]).orElseThrow();
        assertEquals(OrderStatus.PAID, paid.status());
        assertEquals(OUTSOURCED.subMchid(), paid.subMchid());
        assertEquals(OUTSOURCED.subAppid(), paid.subMerchant().subAppid());
    }

    @Test
    void theCentralisedSubMerchantsOrderIsPaidInTheProvidersMiniProgramAndRefundedUnderItsSubMchid() {
        String token = loginToTheProvidersMiniProgram("pablo");
        JsonPath answer = Shop.unifiedOrder(token, items("tea-green", 2), newKey());
        String[] order = placed(answer);

        assertEquals(simulator().merchant().appid(), answer.getString("data.payment.appId"));
        assertEquals(CENTRALISED.subMchid(), answer.getString("data.order.subMchid"));
        SimTransaction atWeChat = simulator().transaction(order[0]).orElseThrow();
        assertEquals(CENTRALISED.subMchid(), atWeChat.subMchid());
        assertNull(atWeChat.subAppid());
        assertEquals(simulator().openidOf("pablo"), atWeChat.openid(), "sp_openid");
        Shop.payAndAwaitCallback(order);

        JsonPath refund = call(token, "refund", Map.of("outTradeNo", order[0]));
        assertOk(refund);
        simulator().awaitAcknowledged(order[0] + "R01", "REFUND.SUCCESS", WAIT);
        assertEquals("REFUNDED", Shop.queryOrder(token, order[0]).getString("data.status"));
        assertEquals(3600, simulator().refund(order[0] + "R01").orElseThrow().refund());
    }

    @Test
    void anOrderMixingTheTwoSubMerchantsIsRefusedNamingItemsAndNothingReachesWeChatPay() {
        int before = simulator().transactions().size();
        JsonPath mixed = Shop.unifiedOrder(Shop.login("quinn"), items("coffee-latte", 1, "tea-green", 1), newKey());
        assertEquals(40001, mixed.getInt("errcode"));
        assertTrue(mixed.getString("errmsg").startsWith("items: "), mixed.getString("errmsg"));
        assertEquals(before, simulator().transactions().size());
    }

    @Test
    void aSubMerchantsProductsAreNotSoldInAnotherMiniProgram() {
        JsonPath wrongApp =
                Shop.unifiedOrder(loginToTheProvidersMiniProgram("rosa"), items("coffee-latte", 1), newKey());
        assertEquals(40001, wrongApp.getInt("errcode"));
        assertTrue(wrongApp.getString("errmsg").contains(OUTSOURCED.subAppid()), wrongApp.getString("errmsg"));
    }

    @Test
    void loginIsExchangedAgainstTheMiniProgramTheCodeCameFromAndOnlyOneThisDeploymentServes() {
        JsonPath unknown =
                call(null, "login", Map.of("code", simulator().loginCode("sven"), "appid", "wx0000000000000000"));
        assertEquals(40001, unknown.getInt("errcode"));
        assertTrue(unknown.getString("errmsg").startsWith("appid: "), unknown.getString("errmsg"));
        // A code of the provider's mini-program exchanged as the sub-merchant's: WeChat refuses it.
        JsonPath crossed =
                call(null, "login", Map.of("code", simulator().loginCode("sven"), "appid", OUTSOURCED.subAppid()));
        assertEquals(40102, crossed.getInt("errcode"));
        JsonPath inSubApp = call(
                null,
                "login",
                Map.of("code", simulator().loginCode("sven", OUTSOURCED.subAppid()), "appid", OUTSOURCED.subAppid()));
        assertEquals(simulator().openidOf("sven", OUTSOURCED.subAppid()), inSubApp.getString("data.openid"));
    }

    @Test
    void reconcileRepairsEachSubMerchantsLostPaymentFromItsOwnBill() {
        String[] ofOutsourced = placed(Shop.unifiedOrder(Shop.login("tom"), items("mug", 1), newKey()));
        String[] ofCentralised =
                placed(Shop.unifiedOrder(loginToTheProvidersMiniProgram("tom"), items("tea-oolong", 1), newKey()));
        for (String[] order : List.of(ofOutsourced, ofCentralised)) {
            simulator().faults().onNextNotification(order[0], NotificationFault.drop());
            simulator().pay(order[1]);
        }
        String billDate = simulator()
                .transaction(ofOutsourced[0])
                .orElseThrow()
                .successTime()
                .toLocalDate()
                .toString();

        // Recent orders are not stale yet: only the bill phase sees them.
        JsonPath run =
                operatorCall("reconcile", Map.of("billDate", billDate, "staleAfterMinutes", 10080, "maxOrders", 10000));

        assertOk(run);
        for (String[] order : List.of(ofOutsourced, ofCentralised)) {
            assertEquals(OrderStatus.PAID, store.find(order[0]).orElseThrow().status(), run.prettify());
        }
        List<Map<String, Object>> findings = run.getList("data.report.findings");
        assertTrue(
                findings.stream()
                        .noneMatch(f -> "SUB_MERCHANT_MISMATCH".equals(f.get("kind"))
                                || "BILL_UNAVAILABLE".equals(f.get("kind"))),
                run.prettify());
        JsonPath billOfOne = operatorCall(
                "downloadBill", Map.of("billDate", billDate, "subMchid", CENTRALISED.subMchid(), "pageSize", 500));
        List<Object> listed = billOfOne.getList("data.rows.outTradeNo");
        assertTrue(listed.contains(ofCentralised[0]), billOfOne.prettify());
        assertTrue(!listed.contains(ofOutsourced[0]), "another sub-merchant's order is not in this bill");
        assertEquals(
                40001,
                operatorCall("downloadBill", Map.of("billDate", billDate, "subMchid", "1900000999"))
                        .getInt("errcode"));
    }

    @Test
    void anExpiredOrderIsClosedByReconcileThroughThePartnerApi() {
        String[] order =
                placed(Shop.unifiedOrder(loginToTheProvidersMiniProgram("ursula"), items("tea-green", 1), newKey()));
        Order unpaid = store.find(order[0]).orElseThrow();
        java.time.Instant past = java.time.Instant.now().minus(Duration.ofMinutes(5));
        Order expired = new Order(
                unpaid.outTradeNo(),
                unpaid.appid(),
                unpaid.mchid(),
                unpaid.subMerchant(),
                unpaid.openid(),
                unpaid.idempotencyKey(),
                unpaid.description(),
                unpaid.items(),
                unpaid.total(),
                unpaid.status(),
                unpaid.prepayId(),
                past,
                null,
                null,
                null,
                unpaid.refunds(),
                unpaid.appliedNotificationIds(),
                unpaid.createdAt(),
                unpaid.updatedAt(),
                null,
                unpaid.version() + 1,
                unpaid.events());
        assertTrue(store.replaceIfCurrent(unpaid, expired));

        assertOk(operatorCall("reconcile", Map.of("expiryGraceMinutes", 0, "staleAfterMinutes", 10080)));

        assertEquals(OrderStatus.CLOSED, store.find(order[0]).orElseThrow().status());
        assertEquals(
                TradeState.CLOSED,
                simulator().transaction(order[0]).orElseThrow().state());
        assertTrue(
                simulator()
                        .requests()
                        .contains("POST /v3/pay/partner/transactions/out-trade-no/" + order[0] + "/close"),
                simulator().requests().toString());
    }
}
