package io.wxpayfn.simulator;

import java.time.OffsetDateTime;

/** The simulator's truth about one JSAPI order (an immutable snapshot). Amounts in fen. */
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
    OffsetDateTime successTime) {

  SimTransaction withState(TradeState newState) {
    return new SimTransaction(appid, mchid, outTradeNo, description, attach, notifyUrl, total,
        currency, openid, timeExpire, prepayId, createTime, newState, transactionId, successTime);
  }

  SimTransaction paid(String newTransactionId, OffsetDateTime paidAt) {
    return new SimTransaction(appid, mchid, outTradeNo, description, attach, notifyUrl, total,
        currency, openid, timeExpire, prepayId, createTime, TradeState.SUCCESS, newTransactionId,
        paidAt);
  }

  SimTransaction withSuccessTime(OffsetDateTime newSuccessTime) {
    return new SimTransaction(appid, mchid, outTradeNo, description, attach, notifyUrl, total,
        currency, openid, timeExpire, prepayId, createTime, state, transactionId, newSuccessTime);
  }

  boolean expiredAt(OffsetDateTime now) {
    return timeExpire != null && now.isAfter(timeExpire);
  }
}
