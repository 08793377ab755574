package io.wxpayfn.order;

/** One line the caller asks for: a product and a quantity, never a price. */
public record LineRequest(String productId, int quantity) {}
