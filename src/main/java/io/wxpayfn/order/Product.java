package io.wxpayfn.order;

import java.util.regex.Pattern;

/**
 * A catalogue entry; {@code price} is in fen. In partner mode {@code subMchid} names the sub-merchant that sells it
 * (null: the deployment's only sub-merchant); a direct merchant's products name none.
 */
public record Product(String id, String name, long price, boolean active, String subMchid) {

    /** The form of a product id, in the catalogue and in an order's items alike. */
    public static final Pattern ID = Pattern.compile("[0-9A-Za-z_\\-.]{1,64}");

    public static final String ID_FORM = "1 to 64 characters of 0-9A-Za-z_-.";

    /** A product of a direct merchant, or of a partner deployment's only sub-merchant. */
    public Product(String id, String name, long price, boolean active) {
        this(id, name, price, active, null);
    }
}
