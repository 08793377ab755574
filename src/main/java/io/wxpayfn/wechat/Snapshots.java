package io.wxpayfn.wechat;

import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.payments.model.TransactionAmount;
import com.wechat.pay.java.service.refund.model.Amount;
import com.wechat.pay.java.service.refund.model.Status;
import io.wxpayfn.order.PaymentSnapshot;
import io.wxpayfn.order.RefundSnapshot;
import io.wxpayfn.order.RefundStatus;
import io.wxpayfn.order.SubMerchant;
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
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .appendOffsetId()
            .toFormatter();

    private Snapshots() {}

    /** {@code 2026-11-23T11:41:22+08:00}: seconds precision, China offset, as time_expire wants it. */
    static String rfc3339(Instant instant) {
        return RFC_3339_SECONDS.format(instant.atOffset(CHINA));
    }

    static Instant instantOrNull(String rfc3339) {
        return rfc3339 == null || rfc3339.isEmpty()
                ? null
                : OffsetDateTime.parse(rfc3339).toInstant();
    }

    /**
     * A transaction as the domain sees it. One WeChat Pay took (trade_state SUCCESS or REFUND) must name everything
     * the payment is cross-checked and booked by: transaction_id, amount.total, amount.payer_total, amount.currency
     * CNY (a domestic merchant is paid in CNY only), payer.openid and success_time; a signed answer or notification
     * without one of them is not trusted (the SDK's MalformedMessageException: refused, never applied).
     */
    static PaymentSnapshot payment(Transaction t) {
        TransactionAmount amount = t.getAmount();
        return payment(new PaymentFields(
                t.getAppid(),
                t.getMchid(),
                null,
                t.getOutTradeNo(),
                t.getTransactionId(),
                t.getTradeState() == null ? null : t.getTradeState().name(),
                amount == null ? null : amount.getTotal(),
                amount == null ? null : amount.getPayerTotal(),
                amount == null ? null : amount.getCurrency(),
                "payer.openid",
                t.getPayer() == null ? null : t.getPayer().getOpenid(),
                t.getSuccessTime()));
    }

    /**
     * A service provider's transaction for a sub-merchant: sp_appid and sp_mchid are its appid and mchid, sub_mchid
     * (required) and sub_appid its sub-merchant. The payer is the sub_openid when the transaction names a sub_appid
     * (the order was paid in the sub-merchant's mini-program), else the sp_openid; a paid one must name that one.
     */
    static PaymentSnapshot partnerPayment(com.wechat.pay.java.service.partnerpayments.jsapi.model.Transaction t) {
        if (isBlank(t.getSubMchid())) {
            throw new MalformedMessageException("partner transaction without sub_mchid");
        }
        com.wechat.pay.java.service.partnerpayments.model.TransactionAmount amount = t.getAmount();
        boolean paidInSubApp = !isBlank(t.getSubAppid());
        String payer = t.getPayer() == null
                ? null
                : paidInSubApp ? t.getPayer().getSubOpenid() : t.getPayer().getSpOpenid();
        return payment(new PaymentFields(
                t.getSpAppid(),
                t.getSpMchid(),
                new SubMerchant(t.getSubMchid(), paidInSubApp ? t.getSubAppid() : null),
                t.getOutTradeNo(),
                t.getTransactionId(),
                t.getTradeState() == null ? null : t.getTradeState().name(),
                amount == null ? null : amount.getTotal(),
                amount == null ? null : amount.getPayerTotal(),
                amount == null ? null : amount.getCurrency(),
                paidInSubApp ? "payer.sub_openid" : "payer.sp_openid",
                payer,
                t.getSuccessTime()));
    }

    /** The fields of a direct or a partner transaction the domain reads, named as WeChat Pay names them. */
    private record PaymentFields(
            String appid,
            String mchid,
            SubMerchant subMerchant,
            String outTradeNo,
            String transactionId,
            String tradeState,
            Integer total,
            Integer payerTotal,
            String currency,
            String payerField,
            String payerOpenid,
            String successTime) {}

    private static PaymentSnapshot payment(PaymentFields t) {
        if (t.outTradeNo() == null || t.tradeState() == null) {
            throw new MalformedMessageException("transaction without out_trade_no or trade_state");
        }
        if (t.currency() != null && !CNY.equals(t.currency())) {
            throw new MalformedMessageException("transaction in currency " + t.currency() + ", not " + CNY);
        }
        if (PAID_STATES.contains(t.tradeState())) {
            List<String> missing = new ArrayList<>();
            if (isBlank(t.transactionId())) {
                missing.add("transaction_id");
            }
            if (t.total() == null) {
                missing.add("amount.total");
            }
            if (t.payerTotal() == null) {
                missing.add("amount.payer_total");
            }
            if (t.currency() == null) {
                missing.add("amount.currency");
            }
            if (isBlank(t.payerOpenid())) {
                missing.add(t.payerField());
            }
            if (isBlank(t.successTime())) {
                missing.add("success_time");
            }
            if (!missing.isEmpty()) {
                throw new MalformedMessageException("paid transaction without " + String.join(", ", missing));
            }
        }
        return new PaymentSnapshot(
                t.appid(),
                t.mchid(),
                t.outTradeNo(),
                t.transactionId(),
                t.tradeState(),
                t.total() == null ? null : t.total().longValue(),
                t.payerTotal() == null ? null : t.payerTotal().longValue(),
                t.payerOpenid(),
                instantOrNull(t.successTime()),
                t.subMerchant());
    }

    /**
     * A refund as the domain sees it; out_trade_no and transaction_id are required, to be compared with the order.
     * {@code subMchid}: the sub-merchant a partner refund is of (null for a direct one).
     */
    static RefundSnapshot refund(
            String mchid,
            String subMchid,
            String outTradeNo,
            String transactionId,
            String outRefundNo,
            String refundId,
            Status status,
            Amount amount,
            String successTime) {
        if (outRefundNo == null
                || status == null
                || amount == null
                || amount.getRefund() == null
                || amount.getTotal() == null) {
            throw new MalformedMessageException("refund without out_refund_no, status or amount");
        }
        if (isBlank(outTradeNo) || isBlank(transactionId)) {
            throw new MalformedMessageException("refund without out_trade_no or transaction_id");
        }
        return new RefundSnapshot(
                mchid,
                outTradeNo,
                transactionId,
                outRefundNo,
                refundId,
                refundStatus(status),
                amount.getRefund(),
                amount.getTotal(),
                instantOrNull(successTime),
                subMchid);
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
