package io.wxpayfn.order;

/** A catalogue entry; {@code price} is in fen. */
public record Product(String id, String name, long price, boolean active) {
}
