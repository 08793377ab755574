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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Maps the SDK's models to the domain's snapshots, and times to and from WeChat Pay's RFC 3339 form. */
final class Snapshots {

    /** WeChat Pay shows times in China Standard Time. */
    static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
    static final String CNY = "CNY";
    /** The trade_state values of a transaction WeChat Pay took the money for (APIv3 query order, trade_state). */
    private static final Set<String> PAID_STATES = Set.of("SUCCESS", "REFUND");
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

    /**
     * A transaction as the domain sees it. One WeChat Pay took (trade_state SUCCESS or REFUND) must name everything
     * the payment is cross-checked and booked by: transaction_id, amount.total, amount.payer_total, amount.currency
     * CNY (a domestic merchant is paid in CNY only), payer.openid and success_time; a signed answer or notification
     * without one of them is not trusted (the SDK's MalformedMessageException: refused, never applied).
     */
    static PaymentSnapshot payment(Transaction t) {
        if (t.getOutTradeNo() == null || t.getTradeState() == null) {
            throw new MalformedMessageException("transaction without out_trade_no or trade_state");
        }
        TransactionAmount amount = t.getAmount();
        String tradeState = t.getTradeState().name();
        if (amount != null && amount.getCurrency() != null && !CNY.equals(amount.getCurrency())) {
            throw new MalformedMessageException("transaction in currency " + amount.getCurrency() + ", not " + CNY);
        }
        if (PAID_STATES.contains(tradeState)) {
            List<String> missing = new ArrayList<>();
            if (isBlank(t.getTransactionId())) {
                missing.add("transaction_id");
            }
            if (amount == null || amount.getTotal() == null) {
                missing.add("amount.total");
            }
            if (amount == null || amount.getPayerTotal() == null) {
                missing.add("amount.payer_total");
            }
            if (amount == null || amount.getCurrency() == null) {
                missing.add("amount.currency");
            }
            if (t.getPayer() == null || isBlank(t.getPayer().getOpenid())) {
                missing.add("payer.openid");
            }
            if (isBlank(t.getSuccessTime())) {
                missing.add("success_time");
            }
            if (!missing.isEmpty()) {
                throw new MalformedMessageException("paid transaction without " + String.join(", ", missing));
            }
        }
        return new PaymentSnapshot(t.getAppid(), t.getMchid(), t.getOutTradeNo(), t.getTransactionId(), tradeState,
                amount == null || amount.getTotal() == null ? null : amount.getTotal().longValue(),
                amount == null || amount.getPayerTotal() == null ? null : amount.getPayerTotal().longValue(),
                t.getPayer() == null ? null : t.getPayer().getOpenid(),
                instantOrNull(t.getSuccessTime()));
    }

    /** A refund as the domain sees it; out_trade_no and transaction_id are required, to be compared with the order. */
    static RefundSnapshot refund(String mchid, String outTradeNo, String transactionId, String outRefundNo,
                                 String refundId, Status status, Amount amount, String successTime) {
        if (outRefundNo == null || status == null || amount == null || amount.getRefund() == null
                || amount.getTotal() == null) {
            throw new MalformedMessageException("refund without out_refund_no, status or amount");
        }
        if (isBlank(outTradeNo) || isBlank(transactionId)) {
            throw new MalformedMessageException("refund without out_trade_no or transaction_id");
        }
        return new RefundSnapshot(mchid, outTradeNo, transactionId, outRefundNo, refundId, refundStatus(status),
                amount.getRefund(), amount.getTotal(), instantOrNull(successTime));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
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
