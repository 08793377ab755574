package io.wxpayfn.wechat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.payments.model.TransactionAmount;
import com.wechat.pay.java.service.payments.model.TransactionPayer;
import com.wechat.pay.java.service.refund.model.Status;
import io.wxpayfn.order.RefundStatus;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SnapshotsTest {

    @Test
    void formatsTimeExpireAsRfc3339InChinaStandardTimeWithSeconds() {
        assertEquals("2026-11-23T11:41:22+08:00", Snapshots.rfc3339(Instant.parse("2026-11-23T03:41:22.789Z")));
        assertEquals("2026-01-01T07:59:59+08:00", Snapshots.rfc3339(Instant.parse("2025-12-31T23:59:59Z")));
    }

    @Test
    void readsWeChatPayTimesWithAnyOffset() {
        assertEquals(Instant.parse("2026-11-23T03:41:22Z"), Snapshots.instantOrNull("2026-11-23T11:41:22+08:00"));
        assertEquals(null, Snapshots.instantOrNull(null));
    }

    private static Transaction paid() {
        Transaction t = new Transaction();
        t.setAppid("wx0000000000000001");
        t.setMchid("1900000001");
        t.setOutTradeNo("T1");
        t.setTransactionId("4200000001");
        t.setTradeState(Transaction.TradeStateEnum.SUCCESS);
        t.setSuccessTime("2026-11-23T11:41:20+08:00");
        TransactionPayer payer = new TransactionPayer();
        payer.setOpenid("oUser1");
        t.setPayer(payer);
        TransactionAmount amount = new TransactionAmount();
        amount.setTotal(100);
        amount.setPayerTotal(100);
        amount.setCurrency("CNY");
        t.setAmount(amount);
        return t;
    }

    @Test
    void aPaidTransactionNeedsItsTransactionAmountCurrencyPayerAndTime() {
        assertEquals(100L, Snapshots.payment(paid()).total());
        List<Consumer<Transaction>> removals = List.of(
                t -> t.setTransactionId(null),
                t -> t.setAmount(null),
                t -> t.getAmount().setTotal(null),
                t -> t.getAmount().setPayerTotal(null),
                t -> t.getAmount().setCurrency(null),
                t -> t.setPayer(null),
                t -> t.getPayer().setOpenid(""),
                t -> t.setSuccessTime(null),
                t -> t.getAmount().setCurrency("USD"));
        for (Consumer<Transaction> removal : removals) {
            Transaction t = paid();
            removal.accept(t);
            assertThrows(MalformedMessageException.class, () -> Snapshots.payment(t));
        }
    }

    @Test
    void anUnpaidTransactionNeedsNoPayer() {
        Transaction t = paid();
        t.setTradeState(Transaction.TradeStateEnum.NOTPAY);
        t.setTransactionId(null);
        t.setPayer(null);
        t.setSuccessTime(null);
        t.getAmount().setPayerTotal(null);
        assertEquals("NOTPAY", Snapshots.payment(t).tradeState());
    }

    @Test
    void mapsEveryRefundStatusOfTheSdk() {
        assertEquals(RefundStatus.SUCCESS, Snapshots.refundStatus(Status.SUCCESS));
        assertEquals(RefundStatus.CLOSED, Snapshots.refundStatus(Status.CLOSED));
        assertEquals(RefundStatus.PROCESSING, Snapshots.refundStatus(Status.PROCESSING));
        assertEquals(RefundStatus.ABNORMAL, Snapshots.refundStatus(Status.ABNORMAL));
    }
}
