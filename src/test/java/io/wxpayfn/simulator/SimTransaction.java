package io.wxpayfn.simulator;

import java.time.OffsetDateTime;

/**
 * The simulator's truth about one JSAPI order (an immutable snapshot). Amounts in fen. A partner
 * order (paid to a sub-merchant of the provider) has a {@code subMchid}; its {@code appid} and
 * {@code mchid} are then the provider's sp_appid and sp_mchid, {@code openid} is the payer's sp_openid
 * and {@code subOpenid} the payer's openid under {@code subAppid}, when the order named one.
 */
public record SimTransaction(
        String appid,
        String mchid,
        String outTradeNo,
        String description,
        String attach,
        String notifyUrl,
        long total,
        String currency,
        String openid,
        OffsetDateTime timeExpire,
        String prepayId,
        OffsetDateTime createTime,
        TradeState state,
        String transactionId,
        OffsetDateTime successTime,
        String subMchid,
        String subAppid,
        String subOpenid) {

    /** Paid to a sub-merchant through the partner API. */
    public boolean partner() {
        return subMchid != null;
    }

    /** True when this order is the one a request for {@code requestedSubMchid} (null: direct API) may see. */
    boolean belongsTo(String requestedSubMchid) {
        return requestedSubMchid == null ? subMchid == null : requestedSubMchid.equals(subMchid);
    }

    SimTransaction withState(TradeState newState) {
        return new SimTransaction(
                appid,
                mchid,
                outTradeNo,
                description,
                attach,
                notifyUrl,
                total,
                currency,
                openid,
                timeExpire,
                prepayId,
                createTime,
                newState,
                transactionId,
                successTime,
                subMchid,
                subAppid,
                subOpenid);
    }

    SimTransaction paid(String newTransactionId, OffsetDateTime paidAt) {
        return new SimTransaction(
                appid,
                mchid,
                outTradeNo,
                description,
                attach,
                notifyUrl,
                total,
                currency,
                openid,
                timeExpire,
                prepayId,
                createTime,
                TradeState.SUCCESS,
                newTransactionId,
                paidAt,
                subMchid,
                subAppid,
                subOpenid);
    }

    SimTransaction withSuccessTime(OffsetDateTime newSuccessTime) {
        return new SimTransaction(
                appid,
                mchid,
                outTradeNo,
                description,
                attach,
                notifyUrl,
                total,
                currency,
                openid,
                timeExpire,
                prepayId,
                createTime,
                state,
                transactionId,
                newSuccessTime,
                subMchid,
                subAppid,
                subOpenid);
    }

    SimTransaction withPrepayId(String newPrepayId) {
        return new SimTransaction(
                appid,
                mchid,
                outTradeNo,
                description,
                attach,
                notifyUrl,
                total,
                currency,
                openid,
                timeExpire,
                newPrepayId,
                createTime,
                state,
                transactionId,
                successTime,
                subMchid,
                subAppid,
                subOpenid);
    }

    boolean expiredAt(OffsetDateTime now) {
        return timeExpire != null && now.isAfter(timeExpire);
    }
}
