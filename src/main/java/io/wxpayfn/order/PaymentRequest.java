package io.wxpayfn.order;

/** The parameters a mini-program hands to {@code wx.requestPayment}, signed by the merchant key. */
public record PaymentRequest(
        String prepayId,
        String appId,
        String timeStamp,
        String nonceStr,
        String packageValue,
        String signType,
        String paySign) {}
