package io.wxpayfn.order;

/** One priced line of an order: the unit price is copied from the catalogue when the order is placed. */
public record OrderItem(String productId, String name, long unitPrice, int quantity) {

    public long lineTotal() {
        return Math.multiplyExact(unitPrice, (long) quantity);
    }
}
