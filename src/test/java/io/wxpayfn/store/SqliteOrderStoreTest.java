package io.wxpayfn.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wxpayfn.order.EventQueue;
import io.wxpayfn.order.EventQueuePosition;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderFilter;
import io.wxpayfn.order.OrderPosition;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.StoreUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

class SqliteOrderStoreTest extends OrderStoreContract {

    @TempDir
    Path dir;

    @Override
    protected OrderStore openEmptyStore() {
        return OrderStores.open("sqlite:" + dir.resolve("orders.db"));
    }

    @Test
    void fileMadeBeforeListingsIsMigratedAndItsOrdersAreListedNewestFirst() throws Exception {
        Path file = dir.resolve("legacy.db");
        Order older = ownedBy("o-legacy", "OLD-1", T0);
        Order newer = ownedBy("o-legacy", "OLD-2", T0.plusSeconds(1));
        try (Connection legacy = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
                Statement ddl = legacy.createStatement()) {
            // The schema as the version before listOrders created it.
            ddl.executeUpdate("CREATE TABLE orders (out_trade_no TEXT PRIMARY KEY, status TEXT NOT NULL, "
                    + "updated_at INTEGER NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL)");
            ddl.executeUpdate("CREATE INDEX orders_status_updated ON orders (status, updated_at)");
            ddl.executeUpdate(
                    "CREATE TABLE refund_numbers (out_refund_no TEXT PRIMARY KEY, out_trade_no TEXT NOT NULL)");
            ddl.executeUpdate("CREATE TABLE products (id TEXT PRIMARY KEY, doc TEXT NOT NULL)");
            try (PreparedStatement insert = legacy.prepareStatement("INSERT INTO orders "
                    + "(out_trade_no, status, updated_at, version, doc) VALUES (?, ?, 0, 0, ?)")) {
                for (Order order : List.of(older, newer)) {
                    insert.setString(1, order.outTradeNo());
                    insert.setString(2, order.status().name());
                    insert.setString(3, new OrderDocumentCodec().toJson(order));
                    insert.executeUpdate();
                }
            }
        }
        OrderFilter legacyOwner = OrderFilter.any().ownedBy("o-legacy");
        try (OrderStore migrated = OrderStores.open("sqlite:" + file)) {
            assertEquals(List.of(newer, older), migrated.listOrders(legacyOwner, null, 10));
            migrated.createIfAbsent(ownedBy("o-legacy", "NEW-1", T0.plusSeconds(2)));
        }
        try (OrderStore reopened = OrderStores.open("sqlite:" + file)) {
            assertEquals(
                    List.of("NEW-1", "OLD-2", "OLD-1"),
                    reopened.listOrders(legacyOwner, null, 10).stream()
                            .map(Order::outTradeNo)
                            .toList());
        }
    }

    @Test
    void fileMadeBeforeOrderEventsGainsTheQueueColumnsAndItsOrdersJoinTheQueueWithTheirFirstEvent() throws Exception {
        Path file = dir.resolve("v2.db");
        Order legacy = unpaid("V2-1", 100, T0);
        try (Connection v2 = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
                Statement ddl = v2.createStatement()) {
            // The schema as the version with listOrders (before order events) created it.
            ddl.executeUpdate("CREATE TABLE orders (out_trade_no TEXT PRIMARY KEY, status TEXT NOT NULL, "
                    + "updated_at INTEGER NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL, "
                    + "openid TEXT, created_at INTEGER)");
            ddl.executeUpdate("CREATE INDEX orders_status_updated ON orders (status, updated_at)");
            for (String index : OrderListSql.INDEXES) {
                ddl.executeUpdate(index);
            }
            ddl.executeUpdate(
                    "CREATE TABLE refund_numbers (out_refund_no TEXT PRIMARY KEY, out_trade_no TEXT NOT NULL)");
            ddl.executeUpdate("CREATE TABLE products (id TEXT PRIMARY KEY, doc TEXT NOT NULL)");
            insertAsBeforeEvents(v2, "?", legacy);
        }
        try (OrderStore migrated = OrderStores.open("sqlite:" + file)) {
            assertReadAsStoredAndQueuedWithItsFirstEvent(migrated, legacy);
        }
        try (Connection reader = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
                Statement select = reader.createStatement();
                ResultSet indexes = select.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index'")) {
            List<String> names = new java.util.ArrayList<>();
            while (indexes.next()) {
                names.add(indexes.getString(1));
            }
            assertTrue(names.containsAll(List.of("orders_events_due", "orders_events_parked")), names.toString());
        }
    }

    @Test
    void eventQueueScansReadTheirPartialIndexInOrderWithoutSorting() throws Exception {
        try (Connection reader = new SQLiteConfig().createConnection("jdbc:sqlite:" + dir.resolve("orders.db"))) {
            for (EventQueue queue : EventQueue.values()) {
                String index = queue == EventQueue.PENDING ? "orders_events_due" : "orders_events_parked";
                for (Instant atOrBefore : java.util.Arrays.asList(null, T0)) {
                    for (EventQueuePosition after : java.util.Arrays.asList(null, new EventQueuePosition(T0, "T1"))) {
                        String plan = plan(reader, EventQueueSql.of("doc", queue, atOrBefore, after, 20));
                        assertTrue(plan.contains("USING INDEX " + index + " "), queue + ": " + plan);
                        assertFalse(plan.contains("TEMP B-TREE"), queue + ": " + plan);
                    }
                }
            }
        }
    }

    @Test
    void everyListFilterReadsAnIndexRangeInListOrderWithoutSortingTheMatches() throws Exception {
        try (Connection reader = new SQLiteConfig().createConnection("jdbc:sqlite:" + dir.resolve("orders.db"))) {
            for (Map.Entry<String, OrderFilter> filter : ListQueryPlans.filtersAndTheirIndexes()) {
                for (OrderPosition after : ListQueryPlans.POSITIONS) {
                    String plan = plan(reader, OrderListSql.of("doc", filter.getValue(), after, 20));
                    assertTrue(plan.contains("USING INDEX " + filter.getKey() + " "), filter + ": " + plan);
                    assertFalse(plan.contains("TEMP B-TREE"), filter + ": " + plan);
                }
            }
            // payStatus 2: one bounded range per status, then the few rows of those ranges are merged.
            for (OrderPosition after : ListQueryPlans.POSITIONS) {
                String plan = plan(reader, OrderListSql.of("doc", ListQueryPlans.PAID_TAB, after, 20));
                assertEquals(2, ListQueryPlans.occurrences(plan, "USING INDEX orders_owner_status_created "), plan);
                assertFalse(plan.contains("SCAN orders"), plan);
            }
        }
    }

    private static String plan(Connection reader, OrderListSql query) throws Exception {
        return ListQueryPlans.plan(reader, "EXPLAIN QUERY PLAN ", query, 4);
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
        StoreUnavailableException failure =
                assertThrows(StoreUnavailableException.class, () -> OrderStores.open("sqlite:" + directory));
        assertTrue(failure.getMessage().startsWith("sqlite order store unavailable"), failure.getMessage());
    }

    @Test
    void operationOnAClosedStoreIsStoreUnavailableNotADriverError() {
        store.close();
        StoreUnavailableException failure = assertThrows(StoreUnavailableException.class, () -> store.find("T1"));
        assertTrue(failure.getMessage().startsWith("sqlite order store unavailable"), failure.getMessage());
    }
}
