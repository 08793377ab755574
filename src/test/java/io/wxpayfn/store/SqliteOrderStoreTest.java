package io.wxpayfn.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.StoreUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteOrderStoreTest extends OrderStoreContract {

    @TempDir
    Path dir;

    @Override
    protected OrderStore openEmptyStore() {
        return OrderStores.open("sqlite:" + dir.resolve("orders.db"));
    }

    @Test
    void ordersSurviveClosingAndReopeningTheFile() {
        Order order = store.createIfAbsent(unpaid("T8001", 100, T0));
        store.close();
        store = OrderStores.open("sqlite:" + dir.resolve("orders.db"));
        assertEquals(Optional.of(order), store.find("T8001"));
    }

    @Test
    void missingParentDirectoriesAreCreated() {
        Path file = dir.resolve("a/b/orders.db");
        try (OrderStore nested = OrderStores.open("sqlite:" + file)) {
            nested.createIfAbsent(unpaid("T8002", 100, T0));
        }
        assertTrue(Files.isRegularFile(file));
    }

    @Test
    void fileThatIsADirectoryMakesTheStoreUnavailableNamingSqlite() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("not-a-file.db"));
        StoreUnavailableException failure = assertThrows(StoreUnavailableException.class,
                () -> OrderStores.open("sqlite:" + directory));
        assertTrue(failure.getMessage().startsWith("sqlite order store unavailable"), failure.getMessage());
    }

    @Test
    void operationOnAClosedStoreIsStoreUnavailableNotADriverError() {
        store.close();
        StoreUnavailableException failure = assertThrows(StoreUnavailableException.class, () -> store.find("T1"));
        assertTrue(failure.getMessage().startsWith("sqlite order store unavailable"), failure.getMessage());
    }
}
