package io.wxpayfn.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.reconcile.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OrderService refuses a refund WeChat Pay would refuse for the payment's age, by its own clock, before asking. */
class RefundPeriodTest {

    private static final Instant PAID_AT = Instant.parse("2025-11-23T04:00:00Z");
    private static final String APPID = "wxd678efh567hg6787";
    private static final String MCHID = "1900000109";

    private final InMemoryOrderStore store = new InMemoryOrderStore();
    private final MutableClock clock = new MutableClock(PAID_AT);
    private final ScriptedGateway gateway = new ScriptedGateway();
    private final OrderService service = new OrderService(
            store, gateway, new OrderPolicy(APPID, MCHID, Duration.ofMinutes(30), Duration.ofDays(7)), clock);

    private Order paidOrder(String outTradeNo) {
        Order unpaid = Order.unpaid(
                outTradeNo,
                APPID,
                MCHID,
                "openid-alice",
                "key-" + outTradeNo,
                "Latte",
                List.of(new OrderItem("latte", "Latte", 2800, 1)),
                PAID_AT.plus(Duration.ofMinutes(30)),
                PAID_AT);
        PaymentSnapshot payment = DirectSnapshots.payment(
                APPID, MCHID, outTradeNo, "4200000001", "SUCCESS", 2800L, 2800L, "openid-alice", PAID_AT);
        return store.createIfAbsent(
                unpaid.applyPayment(payment, "n-" + outTradeNo, PAID_AT).orElseThrow());
    }

    @Test
    void anOperatorsRefundOfAPaymentOlderThanTheRefundPeriodIsRefusedAndWeChatPayIsNotAsked() {
        paidOrder("WXOLDPAYMENT01");
        clock.advance(WeChatPayRules.REFUND_PERIOD.plusSeconds(1));

        RefundNotAllowedException e = assertThrows(
                RefundNotAllowedException.class,
                () -> service.refund(Caller.asOperator(), "WXOLDPAYMENT01", null, "late", null));

        assertEquals(PaymentException.Kind.REFUND_NOT_ALLOWED, e.kind());
        assertTrue(e.getMessage().contains("交易时间超过一年"), e.getMessage());
        assertTrue(gateway.calls("refund").isEmpty(), "WeChat Pay is not asked for a refund it would refuse");
        assertTrue(store.find("WXOLDPAYMENT01").orElseThrow().refunds().isEmpty(), "nothing is reserved");
    }

    @Test
    void anOperatorsRefundOnTheLastDayOfTheRefundPeriodIsApplied() {
        paidOrder("WXLASTDAY00001");
        clock.advance(WeChatPayRules.REFUND_PERIOD.minusHours(1));

        RefundResult result = service.refund(Caller.asOperator(), "WXLASTDAY00001", 100L, null, null);

        assertEquals(RefundStatus.PROCESSING, result.refund().status());
        assertEquals(
                List.of("refund WXLASTDAY00001 " + result.refund().outRefundNo() + " 100"), gateway.calls("refund"));
    }
}
