package io.wxpayfn.store;

import io.wxpayfn.order.OrderStore;
import java.nio.file.Path;

/** Opens the {@link OrderStore} adapter an ORDER_STORE_URI value names. */
public final class OrderStores {

    /** The URI the app uses when ORDER_STORE_URI is not set. */
    public static final String DEFAULT_URI = "sqlite:data/orders.db";

    private OrderStores() {}

    /**
     * Opens the store: {@code sqlite:<file>}, {@code postgresql://…} / {@code postgres://…}, or
     * {@code mongodb://…} / {@code mongodb+srv://…}.
     *
     * @throws IllegalArgumentException when the value is not one of those forms
     * @throws io.wxpayfn.order.StoreUnavailableException when the store cannot be opened
     */
    public static OrderStore open(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException(
                    "ORDER_STORE_URI is empty; expected sqlite:<file>, postgresql://… " + "or mongodb://…");
        }
        String value = uri.strip();
        if (value.startsWith("sqlite:")) {
            String file = value.substring("sqlite:".length());
            if (file.isBlank()) {
                throw new IllegalArgumentException(
                        "ORDER_STORE_URI sqlite: names no file; expected sqlite:<file path>");
            }
            return new SqliteOrderStore(Path.of(file));
        }
        if (value.startsWith("postgresql://") || value.startsWith("postgres://")) {
            return PostgresOrderStore.fromUri(value);
        }
        if (value.startsWith("mongodb://") || value.startsWith("mongodb+srv://")) {
            return MongoOrderStore.fromUri(value);
        }
        throw new IllegalArgumentException("ORDER_STORE_URI has unsupported scheme '" + scheme(value)
                + "'; expected sqlite:<file>, postgresql://… or mongodb://…");
    }

    /** Only the scheme is ever echoed, so a password in the rest of the value never reaches a log. */
    private static String scheme(String value) {
        int colon = value.indexOf(':');
        return colon < 0 ? "" : value.substring(0, Math.min(colon, 20));
    }
}
