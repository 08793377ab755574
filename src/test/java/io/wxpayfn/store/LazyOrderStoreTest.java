package io.wxpayfn.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.Product;
import io.wxpayfn.order.StoreUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyOrderStoreTest {

    @Test
    void nothingIsOpenedUntilTheFirstCallAndAFailedOpeningIsRetriedByTheNextCall() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        OrderStore real = new SqliteOrderStore(
                Files.createTempFile(Files.createDirectories(Path.of("target")), "lazy-store-", ".db"));
        real.saveProducts(List.of(new Product("gone", "Gone", 100, true)));
        OrderStore lazy = new LazyOrderStore(
                () -> {
                    if (attempts.incrementAndGet() == 1) {
                        throw new StoreUnavailableException("store down", null);
                    }
                    return real;
                },
                List.of(new Product("tea", "Tea", 800, true)),
                "catalogue.json");
        assertEquals(0, attempts.get(), "made without opening");

        assertThrows(StoreUnavailableException.class, () -> lazy.findProduct("tea"));
        assertEquals(Optional.of(new Product("tea", "Tea", 800, true)), lazy.findProduct("tea"));
        assertFalse(lazy.findProduct("gone").orElseThrow().active(), "the catalogue file replaced the old one");
        lazy.findProduct("tea");
        assertEquals(2, attempts.get(), "opened once it worked");
        lazy.close();
    }
}
