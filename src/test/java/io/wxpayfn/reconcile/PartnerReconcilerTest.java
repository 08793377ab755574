package io.wxpayfn.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.InMemoryOrderStore;
import io.wxpayfn.order.LineRequest;
import io.wxpayfn.order.OrderPolicy;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.Product;
import io.wxpayfn.order.SubMerchant;
import io.wxpayfn.order.WeChatPayRejectedException;
import io.wxpayfn.reconcile.ReconcileReport.Finding;
import io.wxpayfn.reconcile.ReconcileReport.FindingKind;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reconcile of a service provider: each sub-merchant's bill is checked against that sub-merchant's orders only. */
class PartnerReconcilerTest {

    private static final LocalDate BILL_DATE = LocalDate.of(2026, 11, 22);
    private static final SubMerchant SHOP_A = new SubMerchant("1900000201", null);
    private static final SubMerchant SHOP_B = new SubMerchant("1900000202", null);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T02:00:00Z"));
    private final InMemoryOrderStore store = new InMemoryOrderStore();
    private final FakeWeChatPay wechat = new FakeWeChatPay(clock);
    private final OrderService service = new OrderService(
            store,
            wechat,
            new OrderPolicy("wxapp0001", "1900000001", Duration.ofMinutes(30), Duration.ZERO, List.of(SHOP_A, SHOP_B)),
            clock);
    /** The bills WeChat Pay has, by sub_mchid; a sub-merchant without one has no statement yet. */
    private final Map<String, String> bills = new HashMap<>();

    private final Reconciler reconciler = new Reconciler(
            store,
            wechat,
            service,
            (date, subMchid) -> {
                String bill = bills.get(subMchid);
                if (bill == null) {
                    throw new WeChatPayRejectedException("NO_STATEMENT_EXIST", "no bill of " + subMchid);
                }
                return bill;
            },
            List.of(SHOP_A.subMchid(), SHOP_B.subMchid()));
    private int orderCount;

    PartnerReconcilerTest() {
        store.saveProducts(List.of(
                new Product("tea", "Green tea", 1234, true, SHOP_A.subMchid()),
                new Product("cake", "Cake", 1234, true, SHOP_B.subMchid())));
    }

    private String placePaidWithTheNotificationLost(String product) {
        orderCount++;
        String outTradeNo = service.placeOrder(
                        "openid-" + orderCount, List.of(new LineRequest(product, 2)), "key-" + orderCount)
                .order()
                .outTradeNo();
        wechat.pay(outTradeNo);
        return outTradeNo;
    }

    private static String billListing(String outTradeNo) {
        return TradeBillParserTest.bill(
                String.join(",", TradeBillParser.HEADER),
                TradeBillParserTest.payment(outTradeNo, "24.68"),
                String.join(",", TradeBillParser.SUMMARY_HEADER),
                TradeBillParserTest.summary(1, "24.68", "0.00", "24.68", "0.00"));
    }

    private ReconcileReport run(ReconcileCursor resumeFrom) {
        return reconciler.run(new ReconcileRequest(
                clock.instant(), Duration.ofMinutes(1), Duration.ofDays(7), BILL_DATE, 10, 1000, resumeFrom));
    }

    @Test
    void eachSubMerchantsBillRepairsItsOwnOrders() {
        String ofA = placePaidWithTheNotificationLost("tea");
        String ofB = placePaidWithTheNotificationLost("cake");
        bills.put(SHOP_A.subMchid(), billListing(ofA));
        bills.put(SHOP_B.subMchid(), billListing(ofB));

        ReconcileReport report = run(null);

        assertEquals(OrderStatus.PAID, store.find(ofA).orElseThrow().status());
        assertEquals(OrderStatus.PAID, store.find(ofB).orElseThrow().status());
        assertEquals(2, report.bill().repaired());
        assertNull(report.cursor());
    }

    @Test
    void aLineOfOneSubMerchantsBillNamingAnotherOnesOrderIsReportedAndTheOrderIsNotMovedByIt() {
        String ofB = placePaidWithTheNotificationLost("cake");
        bills.put(SHOP_A.subMchid(), billListing(ofB));
        bills.put(SHOP_B.subMchid(), billListing("WXELSEWHERE1"));

        ReconcileReport report = run(null);

        Finding mismatch = report.findings().stream()
                .filter(f -> f.kind() == FindingKind.SUB_MERCHANT_MISMATCH)
                .findFirst()
                .orElseThrow(() -> new AssertionError(report.summary()));
        assertEquals(ofB, mismatch.outTradeNo());
        assertTrue(
                mismatch.detail().contains("sub-merchant " + SHOP_A.subMchid() + " lists it")
                        && mismatch.detail().contains("sub-merchant " + SHOP_B.subMchid()),
                mismatch.detail());
        assertEquals(
                OrderStatus.NOTPAY,
                store.find(ofB).orElseThrow().status(),
                "another sub-merchant's bill line repairs nothing");
    }

    @Test
    void aSubMerchantWhoseBillCannotBeHadIsReportedTheOthersAreCheckedAndTheCursorNamesIt() {
        String ofA = placePaidWithTheNotificationLost("tea");
        String ofB = placePaidWithTheNotificationLost("cake");
        bills.put(SHOP_B.subMchid(), billListing(ofB));

        ReconcileReport first = run(null);

        assertEquals(OrderStatus.PAID, store.find(ofB).orElseThrow().status(), "B's bill was checked");
        assertEquals(OrderStatus.NOTPAY, store.find(ofA).orElseThrow().status());
        assertTrue(
                first.findings().stream()
                        .anyMatch(f -> f.kind() == FindingKind.BILL_UNAVAILABLE
                                && f.detail().contains("of sub-merchant " + SHOP_A.subMchid())),
                first.summary());
        assertEquals(new ReconcileCursor(ReconcilePhase.BILL, null, 0, SHOP_A.subMchid()), first.cursor());

        bills.put(SHOP_A.subMchid(), billListing(ofA));
        ReconcileReport resumed = run(first.cursor());

        assertEquals(OrderStatus.PAID, store.find(ofA).orElseThrow().status());
        assertNull(resumed.cursor());
    }
}
