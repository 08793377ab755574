package io.wxpayfn.wechat;

import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.payments.model.TransactionAmount;
import com.wechat.pay.java.service.refund.model.Amount;
import com.wechat.pay.java.service.refund.model.Status;
import io.wxpayfn.order.PaymentSnapshot;
import io.wxpayfn.order.RefundSnapshot;
import io.wxpayfn.order.RefundStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/** Maps the SDK's models to the domain's snapshots, and times to and from WeChat Pay's RFC 3339 form. */
final class Snapshots {

    /** WeChat Pay shows times in China Standard Time. */
    static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter RFC_3339_SECONDS = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss").appendOffsetId().toFormatter();

    private Snapshots() {
    }

    /** {@code 2026-11-23T11:41:22+08:00}: seconds precision, China offset, as time_expire wants it. */
    static String rfc3339(Instant instant) {
        return RFC_3339_SECONDS.format(instant.atOffset(CHINA));
    }

    static Instant instantOrNull(String rfc3339) {
        return rfc3339 == null || rfc3339.isEmpty() ? null : OffsetDateTime.parse(rfc3339).toInstant();
    }

    static PaymentSnapshot payment(Transaction t) {
        if (t.getOutTradeNo() == null || t.getTradeState() == null) {
            throw new MalformedMessageException("transaction without out_trade_no or trade_state");
        }
        TransactionAmount amount = t.getAmount();
        return new PaymentSnapshot(t.getAppid(), t.getMchid(), t.getOutTradeNo(), t.getTransactionId(),
                t.getTradeState().name(),
                amount == null || amount.getTotal() == null ? null : amount.getTotal().longValue(),
                amount == null || amount.getPayerTotal() == null ? null : amount.getPayerTotal().longValue(),
                t.getPayer() == null ? null : t.getPayer().getOpenid(),
                instantOrNull(t.getSuccessTime()));
    }

    static RefundSnapshot refund(String mchid, String outTradeNo, String transactionId, String outRefundNo,
                                 String refundId, Status status, Amount amount, String successTime) {
        if (outRefundNo == null || status == null || amount == null || amount.getRefund() == null
                || amount.getTotal() == null) {
            throw new MalformedMessageException("refund without out_refund_no, status or amount");
        }
        return new RefundSnapshot(mchid, outTradeNo, transactionId, outRefundNo, refundId, refundStatus(status),
                amount.getRefund(), amount.getTotal(), instantOrNull(successTime));
    }

    static RefundStatus refundStatus(Status status) {
        return switch (status) {
            case SUCCESS -> RefundStatus.SUCCESS;
            case CLOSED -> RefundStatus.CLOSED;
            case PROCESSING -> RefundStatus.PROCESSING;
            case ABNORMAL -> RefundStatus.ABNORMAL;
        };
    }
}
