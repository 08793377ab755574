package io.wxpayfn.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A service provider's orders: each is paid to one sub-merchant, and a payment or refund naming another
 * sub-merchant, another sub_appid, or none (a direct merchant's) can never settle it.
 */
class PartnerOrderTest {

    private static final Instant NOW = Instant.parse("2026-11-23T04:00:00Z");
    private static final String SP_APPID = "wxd678efh567hg6787";
    private static final String SP_MCHID = "1900000109";
    private static final SubMerchant SHOP_A = new SubMerchant("1900000201", "wx5a1b2c3d4e5f6a7b");
    private static final SubMerchant SHOP_B = new SubMerchant("1900000202", null);

    private static Order unpaid(SubMerchant shop) {
        return Order.unpaid(
                "WXpartner0123456789",
                SP_APPID,
                SP_MCHID,
                shop,
                "openid-alice",
                "key-00000001",
                "Latte",
                List.of(new OrderItem("latte", "Latte", 2800, 1)),
                NOW.plus(Duration.ofMinutes(30)),
                NOW);
    }

    private static PaymentSnapshot paidTo(SubMerchant shop, String appid, String mchid, String payer) {
        return new PaymentSnapshot(
                appid, mchid, "WXpartner0123456789", "4200000001", "SUCCESS", 2800L, 2800L, payer, NOW, shop);
    }

    @Test
    void aPaymentNamingTheOrdersProviderAndSubMerchantIsApplied() {
        Order order = unpaid(SHOP_A);
        Order paid = order.applyPayment(paidTo(SHOP_A, SP_APPID, SP_MCHID, "openid-alice"), "n-1", NOW)
                .orElseThrow();
        assertEquals(OrderStatus.PAID, paid.status());
        assertEquals(SHOP_A, paid.subMerchant());
        assertEquals(SHOP_A.subAppid(), paid.payerAppid());
        assertEquals(SP_APPID, unpaid(SHOP_B).payerAppid(), "paid in the provider's mini-program");
    }

    @Test
    void aPaymentNamingAnotherSubMerchantAnotherSubAppidOrNoneIsAMismatch() {
        Order ofA = unpaid(SHOP_A);
        List<PaymentSnapshot> wrong = List.of(
                paidTo(new SubMerchant(SHOP_B.subMchid(), SHOP_A.subAppid()), SP_APPID, SP_MCHID, "openid-alice"),
                paidTo(SHOP_B, SP_APPID, SP_MCHID, "openid-alice"),
                paidTo(new SubMerchant(SHOP_A.subMchid(), null), SP_APPID, SP_MCHID, "openid-alice"),
                paidTo(null, SP_APPID, SP_MCHID, "openid-alice"),
                paidTo(SHOP_A, "wx0000000000000000", SP_MCHID, "openid-alice"),
                paidTo(SHOP_A, SP_APPID, "1900000999", "openid-alice"),
                paidTo(SHOP_A, SP_APPID, SP_MCHID, "openid-mallory"));
        for (PaymentSnapshot payment : wrong) {
            assertThrows(
                    NotificationMismatchException.class, () -> ofA.applyPayment(payment, "n", NOW), payment.toString());
        }
        Order direct = Order.unpaid(
                "WXpartner0123456789",
                SP_APPID,
                SP_MCHID,
                "openid-alice",
                "key-00000001",
                "Latte",
                List.of(new OrderItem("latte", "Latte", 2800, 1)),
                NOW.plus(Duration.ofMinutes(30)),
                NOW);
        assertThrows(
                NotificationMismatchException.class,
                () -> direct.applyPayment(paidTo(SHOP_A, SP_APPID, SP_MCHID, "openid-alice"), "n", NOW),
                "a direct merchant's order is never settled by a partner payment");
    }

    @Test
    void aRefundNamingAnotherSubMerchantOrNoneIsAMismatch() {
        Order order = unpaid(SHOP_A)
                .applyPayment(paidTo(SHOP_A, SP_APPID, SP_MCHID, "openid-alice"), "n", NOW)
                .orElseThrow();
        Order refunding = order.requestRefund(order.nextOutRefundNo(), 2800, "r", "operator", NOW);
        String no = refunding.refunds().get(0).outRefundNo();
        for (String subMchid : new String[] {SHOP_B.subMchid(), null}) {
            RefundSnapshot wrong = new RefundSnapshot(
                    SP_MCHID,
                    order.outTradeNo(),
                    "4200000001",
                    no,
                    "5030" + no,
                    RefundStatus.SUCCESS,
                    2800,
                    2800,
                    NOW,
                    subMchid);
            assertThrows(
                    NotificationMismatchException.class,
                    () -> refunding.applyRefund(wrong, "r-1", NOW),
                    "sub_mchid " + subMchid);
        }
        RefundSnapshot right = new RefundSnapshot(
                SP_MCHID,
                order.outTradeNo(),
                "4200000001",
                no,
                "5030" + no,
                RefundStatus.SUCCESS,
                2800,
                2800,
                NOW,
                SHOP_A.subMchid());
        assertEquals(
                OrderStatus.REFUNDED,
                refunding.applyRefund(right, "r-1", NOW).orElseThrow().status());
    }

    @Test
    void aUserOfOneMiniProgramDoesNotOwnTheSameOpenidsOrderInAnother() {
        Order ofA = unpaid(SHOP_A);
        assertEquals(true, Caller.user(SHOP_A.subAppid(), "openid-alice").mayAccess(ofA));
        assertEquals(false, Caller.user(SP_APPID, "openid-alice").mayAccess(ofA));
        assertEquals(true, Caller.user(SP_APPID, "openid-alice").mayAccess(unpaid(SHOP_B)));
    }
}
