package io.wxpayfn.order;

/**
 * A catalogue entry; {@code price} is in fen. In partner mode {@code subMchid} names the sub-merchant that sells it
 * (null: the deployment's only sub-merchant); a direct merchant's products name none.
 */
public record Product(String id, String name, long price, boolean active, String subMchid) {

    /** A product of a direct merchant, or of a partner deployment's only sub-merchant. */
    public Product(String id, String name, long price, boolean active) {
        this(id, name, price, active, null);
    }
}
