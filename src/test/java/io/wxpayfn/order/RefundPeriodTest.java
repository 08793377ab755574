package io.wxpayfn.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.reconcile.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** OrderService refuses a refund WeChat Pay would refuse for the payment's age, by its own clock, before asking. */
class RefundPeriodTest {

    private static final Instant PAID_AT = Instant.parse("2025-11-23T04:00:00Z");
    private static final String APPID = "wxd678efh567hg6787";
    private static final String MCHID = "1900000109";

    private final InMemoryOrderStore store = new InMemoryOrderStore();
    private final MutableClock clock = new MutableClock(PAID_AT);
    private final RefundingGateway gateway = new RefundingGateway();
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
        assertTrue(gateway.refunded.isEmpty(), "WeChat Pay is not asked for a refund it would refuse");
        assertTrue(store.find("WXOLDPAYMENT01").orElseThrow().refunds().isEmpty(), "nothing is reserved");
    }

    @Test
    void anOperatorsRefundOnTheLastDayOfTheRefundPeriodIsApplied() {
        paidOrder("WXLASTDAY00001");
        clock.advance(WeChatPayRules.REFUND_PERIOD.minusHours(1));

        RefundResult result = service.refund(Caller.asOperator(), "WXLASTDAY00001", 100L, null, null);

        assertEquals(RefundStatus.PROCESSING, result.refund().status());
        assertEquals(List.of(result.refund().outRefundNo()), gateway.refunded);
    }

    /** Accepts every refund application as PROCESSING, recording its out_refund_no. */
    private static final class RefundingGateway implements PaymentGateway {
        final List<String> refunded = new ArrayList<>();

        @Override
        public PaymentRequest prepay(Order order) {
            throw new UnsupportedOperationException("no prepay here");
        }

        @Override
        public Optional<PaymentSnapshot> queryPayment(Order order) {
            return Optional.empty();
        }

        @Override
        public Optional<PaymentSnapshot> queryPaymentByTransactionId(Order order, String transactionId) {
            return Optional.empty();
        }

        @Override
        public void close(Order order) {}

        @Override
        public RefundSnapshot refund(Order order, Refund refund) {
            refunded.add(refund.outRefundNo());
            return DirectSnapshots.refund(
                    order.mchid(),
                    order.outTradeNo(),
                    order.transactionId(),
                    refund.outRefundNo(),
                    "50" + refunded.size(),
                    RefundStatus.PROCESSING,
                    refund.amount(),
                    order.total(),
                    null);
        }

        @Override
        public Optional<RefundSnapshot> queryRefund(Order order, String outRefundNo) {
            return Optional.empty();
        }
    }
}
