package io.wxpayfn.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OrderStoresTest {

    @Test
    void unsupportedSchemeIsRejectedNamingTheVariableWithoutEchoingThePassword() {
        IllegalArgumentException failure = assertThrows(
                IllegalArgumentException.class,
                () -> OrderStores.open("mysql://admin:s3cret-pw@db.example:3306/orders"));
        assertTrue(failure.getMessage().contains("ORDER_STORE_URI"), failure.getMessage());
        assertTrue(failure.getMessage().contains("mysql"), failure.getMessage());
        assertFalse(failure.getMessage().contains("s3cret-pw"), failure.getMessage());
    }

    @Test
    void emptyValueIsRejectedNamingTheVariable() {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> OrderStores.open(" "));
        assertTrue(failure.getMessage().contains("ORDER_STORE_URI"), failure.getMessage());
    }

    @Test
    void sqliteWithoutAFileIsRejectedNamingTheVariable() {
        IllegalArgumentException failure =
                assertThrows(IllegalArgumentException.class, () -> OrderStores.open("sqlite:"));
        assertTrue(failure.getMessage().contains("ORDER_STORE_URI"), failure.getMessage());
    }
}
