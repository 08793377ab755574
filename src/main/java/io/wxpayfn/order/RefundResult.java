package io.wxpayfn.order;

/** A refund together with the order it belongs to, both as stored after the operation. */
public record RefundResult(Order order, Refund refund) {}
