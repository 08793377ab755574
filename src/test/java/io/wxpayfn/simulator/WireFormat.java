package io.wxpayfn.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/** The JSON documents WeChat Pay sends about orders and refunds. */
final class WireFormat {

    static final ObjectMapper JSON = new ObjectMapper();

    private WireFormat() {}

    static String time(OffsetDateTime time) {
        return time.atZoneSameInstant(TransactionBook.SHANGHAI)
                .toOffsetDateTime()
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /**
     * The Transaction as the query answers it, also the plaintext of TRANSACTION.SUCCESS. A partner
     * order names the provider (sp_appid, sp_mchid) and the sub-merchant (sub_mchid, sub_appid when the
     * order named one), and its payer by sp_openid and, with a sub_appid, sub_openid.
     */
    static ObjectNode transaction(SimTransaction t) {
        ObjectNode node = JSON.createObjectNode();
        if (t.partner()) {
            node.put("sp_appid", t.appid());
            node.put("sp_mchid", t.mchid());
            if (t.subAppid() != null) {
                node.put("sub_appid", t.subAppid());
            }
            node.put("sub_mchid", t.subMchid());
        } else {
            node.put("appid", t.appid());
            node.put("mchid", t.mchid());
        }
        node.put("out_trade_no", t.outTradeNo());
        if (t.transactionId() != null) {
            node.put("transaction_id", t.transactionId());
        }
        node.put("trade_type", "JSAPI");
        node.put("trade_state", t.state().name());
        node.put("trade_state_desc", t.state().description());
        if (t.attach() != null) {
            node.put("attach", t.attach());
        }
        ObjectNode amount = JSON.createObjectNode();
        amount.put("total", t.total());
        amount.put("currency", t.currency());
        amount.put("payer_currency", t.currency());
        if (t.transactionId() != null) {
            node.put("bank_type", "OTHERS");
            node.put("success_time", time(t.successTime()));
            ObjectNode payer = node.putObject("payer");
            if (!t.partner()) {
                payer.put("openid", t.openid());
            } else {
                payer.put("sp_openid", t.openid());
                if (t.subOpenid() != null) {
                    payer.put("sub_openid", t.subOpenid());
                }
            }
            amount.put("payer_total", t.total());
        }
        node.set("amount", amount);
        node.putArray("promotion_detail");
        return node;
    }

    /** The Refund as the create and query APIs answer it. */
    static ObjectNode refund(SimRefund r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("refund_id", r.refundId());
        node.put("out_refund_no", r.outRefundNo());
        node.put("transaction_id", r.transactionId());
        node.put("out_trade_no", r.outTradeNo());
        node.put("channel", "ORIGINAL");
        node.put("user_received_account", SimRefund.USER_RECEIVED_ACCOUNT);
        if (r.successTime() != null) {
            node.put("success_time", time(r.successTime()));
        }
        node.put("create_time", time(r.createTime()));
        node.put("status", r.status().name());
        node.put("funds_account", "AVAILABLE");
        ObjectNode amount = node.putObject("amount");
        amount.put("total", r.total());
        amount.put("refund", r.refund());
        amount.putArray("from");
        amount.put("payer_total", r.total());
        amount.put("payer_refund", r.refund());
        amount.put("settlement_refund", r.refund());
        amount.put("settlement_total", r.total());
        amount.put("discount_refund", 0);
        amount.put("currency", r.currency());
        amount.put("refund_fee", 0);
        node.putArray("promotion_detail");
        return node;
    }

    /**
     * The plaintext of REFUND.* notifications (it says refund_status where the API says status): mchid
     * for a direct order, sp_mchid and sub_mchid for a partner one.
     */
    static ObjectNode refundNotification(SimRefund r, SimTransaction order) {
        ObjectNode node = JSON.createObjectNode();
        if (order.partner()) {
            node.put("sp_mchid", order.mchid());
            node.put("sub_mchid", order.subMchid());
        } else {
            node.put("mchid", order.mchid());
        }
        node.put("out_trade_no", r.outTradeNo());
        node.put("transaction_id", r.transactionId());
        node.put("out_refund_no", r.outRefundNo());
        node.put("refund_id", r.refundId());
        node.put("refund_status", r.status().name());
        if (r.successTime() != null) {
            node.put("success_time", time(r.successTime()));
        }
        node.put("user_received_account", SimRefund.USER_RECEIVED_ACCOUNT);
        ObjectNode amount = node.putObject("amount");
        amount.put("total", r.total());
        amount.put("refund", r.refund());
        amount.put("payer_total", r.total());
        amount.put("payer_refund", r.refund());
        return node;
    }
}
