package io.wxpayfn.order;

/** A stored order and, while it is payable, the wx.requestPayment parameters for it. */
public record PlacedOrder(Order order, PaymentRequest payment) {}
