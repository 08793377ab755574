package io.wxpayfn.function;

import static io.wxpayfn.function.Shop.assertOk;
import static io.wxpayfn.function.Shop.call;
import static io.wxpayfn.function.Shop.login;
import static io.wxpayfn.function.Shop.operatorCall;
import static io.wxpayfn.function.Shop.placeLatte;
import static io.wxpayfn.function.Shop.simulator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wxpayfn.order.DirectSnapshots;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.simulator.NotificationFault;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's downloadBill and reconcile, over HTTP against the simulator. */
@QuarkusTest
class OperationsTest {

    @Inject
    OrderStore store;

    /** The day WeChat Pay books the payment on (Beijing time): never "today", which midnight can move. */
    private static String billDateOf(String outTradeNo) {
        return simulator()
                .transaction(outTradeNo)
                .orElseThrow()
                .successTime()
                .toLocalDate()
                .toString();
    }

    @Test
    void downloadBillAnswersTheParsedBillOfTheDayInPages() {
        String[] order = placeLatte(login("sam"));
        Shop.payAndAwaitCallback(order);
        String billDate = billDateOf(order[0]);

        JsonPath bill = operatorCall("downloadBill", Map.of("billDate", billDate, "pageSize", 500));
        assertOk(bill);
        List<Map<String, Object>> rows = bill.getList("data.rows");
        Map<String, Object> row = rows.stream()
                .filter(r -> order[0].equals(r.get("outTradeNo")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("paid order missing from the bill"));
        assertEquals(2800, ((Number) row.get("settlementTotal")).longValue());
        assertEquals(bill.getInt("data.totalRows"), bill.getInt("data.summary.tradeCount"));

        JsonPath firstPage = operatorCall("downloadBill", Map.of("billDate", billDate, "page", 1, "pageSize", 1));
        assertEquals(1, firstPage.getList("data.rows").size());
    }

    @Test
    void billAndReconcileAreForOperatorsOnly() {
        String token = login("tina");
        assertEquals(
                40301,
                call(token, "downloadBill", Map.of("billDate", "2026-01-01")).getInt("errcode"));
        assertEquals(40301, call(token, "reconcile", Map.of()).getInt("errcode"));
        assertEquals(
                40001,
                operatorCall("downloadBill", Map.of("billDate", "2026-13-45")).getInt("errcode"));
    }

    @Test
    void reconcileRepairsAPaymentWhoseNotificationWasLostAndASecondRunChangesNothing() {
        String[] order = placeLatte(login("uma"));
        simulator().faults().onNextNotification(order[0], NotificationFault.drop());
        simulator().pay(order[1]);
        simulator()
                .awaitDeliveries(
                        d -> d.concerns(order[0]) && d.kind().name().equals("DROPPED"), 1, Duration.ofSeconds(10));
        assertEquals(OrderStatus.NOTPAY, store.find(order[0]).orElseThrow().status());

        String billDate = billDateOf(order[0]);

        JsonPath first = operatorCall("reconcile", Map.of("staleAfterMinutes", 0, "billDate", billDate));
        assertOk(first);
        assertEquals(OrderStatus.PAID, store.find(order[0]).orElseThrow().status());
        List<Map<String, Object>> repairs = first.<Map<String, Object>>getList("data.report.findings").stream()
                .filter(f -> order[0].equals(f.get("outTradeNo")))
                .toList();
        assertEquals(
                List.of(Map.of(
                        "outTradeNo", order[0], "kind", "STALE_STATE", "detail", "NOTPAY → PAID", "repaired", true)),
                repairs.stream().map(OperationsTest::withoutNulls).toList(),
                first.prettify());
        int examined = first.getInt("data.report.stale.examined");
        int repaired = first.getInt("data.report.stale.repaired");
        assertTrue(repaired >= 1, first.prettify());
        assertTrue(
                first.getString("data.summary")
                        .contains("stale orders and refunds: examined " + examined + ", closed 0, repaired " + repaired
                                + ","),
                first.getString("data.summary"));

        JsonPath second = operatorCall("reconcile", Map.of("staleAfterMinutes", 0, "billDate", billDate));
        assertOk(second);
        assertEquals(
                0,
                second.getInt("data.report.stale.repaired")
                        + second.getInt("data.report.bill.repaired")
                        + second.getInt("data.report.expired.closed"),
                second.getString("data.summary"));
    }

    @Test
    void reconcileReportsAnOrderTheStoreHoldsAsPaidThatWeChatPaysBillDoesNotListAndLeavesItForAPerson() {
        String token = login("vera-" + Shop.newKey());
        String[] genuine = placeLatte(token);
        Shop.payAndAwaitCallback(genuine);
        String[] forged = placeLatte(token);
        // A payment WeChat Pay never took lands in the store (a leaked key, a mis-applied notification).
        Instant paidAt =
                simulator().transaction(genuine[0]).orElseThrow().successTime().toInstant();
        Order unpaid = store.find(forged[0]).orElseThrow();
        Order paid = unpaid.applyPayment(
                        DirectSnapshots.payment(
                                unpaid.appid(),
                                unpaid.mchid(),
                                unpaid.outTradeNo(),
                                "4200000000000000000000000001",
                                "SUCCESS",
                                unpaid.total(),
                                unpaid.total(),
                                unpaid.openid(),
                                paidAt),
                        "forged-" + forged[0],
                        paidAt)
                .orElseThrow();
        assertTrue(store.replaceIfCurrent(unpaid, paid));

        JsonPath report = operatorCall("reconcile", Map.of("billDate", billDateOf(genuine[0])));

        assertOk(report);
        List<Map<String, Object>> about = report.<Map<String, Object>>getList("data.report.findings").stream()
                .filter(f -> forged[0].equals(f.get("outTradeNo")))
                .toList();
        assertEquals(1, about.size(), report.prettify());
        assertEquals("PAID_NOT_AT_WECHATPAY", about.get(0).get("kind"));
        assertEquals(false, about.get(0).get("repaired"));
        assertTrue(
                ((String) about.get(0).get("detail")).contains("NOTPAY"),
                about.get(0).toString());
        assertTrue(
                report.getList("data.report.findings").stream()
                        .noneMatch(f -> genuine[0].equals(((Map<?, ?>) f).get("outTradeNo"))),
                "the billed payment is not reported");
        assertEquals(
                OrderStatus.PAID,
                store.find(forged[0]).orElseThrow().status(),
                "no payment is undone by a" + " machine");
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> finding) {
        Map<String, Object> present = new java.util.HashMap<>(finding);
        present.values().removeIf(java.util.Objects::isNull);
        return present;
    }
}
