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
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresOrderStoreTest extends OrderStoreContract {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    static String uri(String scheme) {
        return scheme + "://postgres:any%40pass@localhost:" + postgres.getPort() + "/postgres?sslmode=disable";
    }

    @Override
    protected OrderStore openEmptyStore() throws Exception {
        OrderStore opened = OrderStores.open(uri("postgresql"));
        opened.find("schema-is-created-by-the-first-use");
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement truncate = admin.createStatement()) {
            truncate.executeUpdate("TRUNCATE orders, refund_numbers, products");
        }
        return opened;
    }

    @Test
    void firstUseRecordsTheSchemaVersion() throws Exception {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement select = admin.createStatement();
                ResultSet rows = select.executeQuery("SELECT version FROM schema_version")) {
            assertTrue(rows.next());
            assertEquals(PostgresOrderStore.SCHEMA_VERSION, rows.getInt(1));
            assertFalse(rows.next());
        }
    }

    @Test
    void databaseOfSchemaVersionOneIsMigratedToTheCurrentVersionAndItsOrdersAreListedNewestFirst() throws Exception {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement ddl = admin.createStatement()) {
            ddl.executeUpdate("DROP DATABASE IF EXISTS legacy");
            ddl.executeUpdate("CREATE DATABASE legacy");
        }
        Order older = ownedBy("o-legacy", "OLD-1", T0);
        Order newer = ownedBy("o-legacy", "OLD-2", T0.plusSeconds(1));
        try (Connection legacy = postgres.getDatabase("postgres", "legacy").getConnection();
                Statement ddl = legacy.createStatement()) {
            // The schema exactly as version 1 created it.
            ddl.executeUpdate("CREATE TABLE schema_version (singleton boolean PRIMARY KEY DEFAULT true "
                    + "CHECK (singleton), version integer NOT NULL)");
            ddl.executeUpdate("INSERT INTO schema_version (version) VALUES (1)");
            ddl.executeUpdate("CREATE TABLE orders (out_trade_no text COLLATE \"C\" PRIMARY KEY, status text NOT NULL, "
                    + "updated_at bigint NOT NULL, version bigint NOT NULL, doc jsonb NOT NULL)");
            ddl.executeUpdate("CREATE INDEX orders_status_updated ON orders (status, updated_at)");
            ddl.executeUpdate("CREATE TABLE refund_numbers (out_refund_no text PRIMARY KEY, "
                    + "out_trade_no text COLLATE \"C\" NOT NULL)");
            ddl.executeUpdate("CREATE TABLE products (id text PRIMARY KEY, doc jsonb NOT NULL)");
            try (PreparedStatement insert = legacy.prepareStatement("INSERT INTO orders "
                    + "(out_trade_no, status, updated_at, version, doc) VALUES (?, ?, 0, 0, ?::jsonb)")) {
                for (Order order : List.of(older, newer)) {
                    insert.setString(1, order.outTradeNo());
                    insert.setString(2, order.status().name());
                    insert.setString(3, new OrderDocumentCodec().toJson(order));
                    insert.executeUpdate();
                }
            }
        }
        String legacyUri = "postgresql://postgres:pw@localhost:" + postgres.getPort() + "/legacy?sslmode=disable";
        try (OrderStore migrated = OrderStores.open(legacyUri)) {
            assertEquals(
                    List.of(newer, older), migrated.listOrders(OrderFilter.any().ownedBy("o-legacy"), null, 10));
        }
        try (Connection legacy = postgres.getDatabase("postgres", "legacy").getConnection();
                Statement select = legacy.createStatement();
                ResultSet rows = select.executeQuery("SELECT version FROM schema_version")) {
            assertTrue(rows.next());
            assertEquals(PostgresOrderStore.SCHEMA_VERSION, rows.getInt(1));
        }
    }

    @Test
    void databaseOfSchemaVersionTwoIsMigratedToThreeAndItsOrdersJoinTheEventQueueWithTheirFirstEvent()
            throws Exception {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement ddl = admin.createStatement()) {
            ddl.executeUpdate("DROP DATABASE IF EXISTS v2");
            ddl.executeUpdate("CREATE DATABASE v2");
        }
        Order legacy = unpaid("V2-1", 100, T0);
        try (Connection v2 = postgres.getDatabase("postgres", "v2").getConnection();
                Statement ddl = v2.createStatement()) {
            // The schema exactly as version 2 (listOrders, before order events) created it.
            ddl.executeUpdate("CREATE TABLE schema_version (singleton boolean PRIMARY KEY DEFAULT true "
                    + "CHECK (singleton), version integer NOT NULL)");
            ddl.executeUpdate("INSERT INTO schema_version (version) VALUES (2)");
            ddl.executeUpdate("CREATE TABLE orders (out_trade_no text COLLATE \"C\" PRIMARY KEY, status text NOT NULL, "
                    + "updated_at bigint NOT NULL, version bigint NOT NULL, doc jsonb NOT NULL, "
                    + "openid text COLLATE \"C\", created_at bigint)");
            ddl.executeUpdate("CREATE INDEX orders_status_updated ON orders (status, updated_at)");
            for (String index : OrderListSql.INDEXES) {
                ddl.executeUpdate(index);
            }
            ddl.executeUpdate("CREATE TABLE refund_numbers (out_refund_no text PRIMARY KEY, "
                    + "out_trade_no text COLLATE \"C\" NOT NULL)");
            ddl.executeUpdate("CREATE TABLE products (id text PRIMARY KEY, doc jsonb NOT NULL)");
            insertAsBeforeEvents(v2, "?::jsonb", legacy);
        }
        String v2Uri = "postgresql://postgres:pw@localhost:" + postgres.getPort() + "/v2?sslmode=disable";
        try (OrderStore migrated = OrderStores.open(v2Uri)) {
            assertReadAsStoredAndQueuedWithItsFirstEvent(migrated, legacy);
        }
        try (Connection v2 = postgres.getDatabase("postgres", "v2").getConnection();
                Statement select = v2.createStatement()) {
            try (ResultSet rows = select.executeQuery("SELECT version FROM schema_version")) {
                assertTrue(rows.next());
                assertEquals(3, rows.getInt(1));
            }
            try (ResultSet rows = select.executeQuery("SELECT indexname FROM pg_indexes WHERE tablename = 'orders' "
                    + "AND indexname LIKE 'orders_events_%' ORDER BY indexname")) {
                assertTrue(rows.next());
                assertEquals("orders_events_due", rows.getString(1));
                assertTrue(rows.next());
                assertEquals("orders_events_parked", rows.getString(1));
            }
        }
    }

    @Test
    void eventQueueScansReadTheirPartialIndexForwardsWithoutSorting() throws Exception {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement settings = admin.createStatement()) {
            // 20,000 orders after a receiver's long outage: half with a due event, a quarter parked; analysed.
            settings.executeUpdate("INSERT INTO orders (out_trade_no, status, updated_at, version, doc, openid, "
                    + "created_at, events_due_at, events_parked_at) SELECT 'Q' || i, 'PAID', i, 0, '{}'::jsonb, "
                    + "'o-' || (i % 20), i, CASE WHEN i % 2 = 0 THEN i::bigint * 1000 END, "
                    + "CASE WHEN i % 4 = 1 THEN i::bigint * 1000 END FROM generate_series(1, 20000) AS i");
            settings.execute("ANALYZE orders");
            try {
                assertEventQueuePlans(admin);
            } finally {
                // The next test starts from an empty table; its planner should not see this one's statistics.
                settings.executeUpdate("TRUNCATE orders");
                settings.execute("ANALYZE orders");
            }
        }
    }

    private static void assertEventQueuePlans(Connection admin) throws Exception {
        for (EventQueue queue : EventQueue.values()) {
            String index = queue == EventQueue.PENDING ? "orders_events_due" : "orders_events_parked";
            for (java.time.Instant atOrBefore : java.util.Arrays.asList(null, T0)) {
                for (EventQueuePosition after : java.util.Arrays.asList(null, new EventQueuePosition(T0, "T1"))) {
                    String plan = plan(admin, EventQueueSql.of("doc::text", queue, atOrBefore, after, 20));
                    assertTrue(plan.contains("Index Scan using " + index + " "), queue + ": " + plan);
                    assertFalse(plan.contains("Sort"), queue + ": " + plan);
                }
            }
        }
    }

    @Test
    void everyListFilterReadsAnIndexRangeBackwardsWithoutSortingTheMatches() throws Exception {
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement settings = admin.createStatement()) {
            // 20,000 orders of 20 owners in every status, analysed: the planner then costs the paths as in production.
            settings.executeUpdate("INSERT INTO orders (out_trade_no, status, updated_at, version, doc, openid, "
                    + "created_at) SELECT 'B' || i, (ARRAY['NOTPAY','PAID','PAID','PAID','REFUNDING',"
                    + "'PARTIALLY_REFUNDED','REFUNDED','CLOSED'])[1 + i % 8], i, 0, '{}'::jsonb, 'o-' || (i % 20), "
                    + "i::bigint * 1000000000 FROM generate_series(1, 20000) AS i");
            settings.execute("ANALYZE orders");
            for (Map.Entry<String, OrderFilter> filter : ListQueryPlans.filtersAndTheirIndexes()) {
                for (OrderPosition after : ListQueryPlans.POSITIONS) {
                    String plan = plan(admin, OrderListSql.of("doc::text", filter.getValue(), after, 20));
                    assertTrue(
                            plan.contains("Index Scan Backward using " + filter.getKey() + " "), filter + ": " + plan);
                    assertFalse(plan.contains("Sort"), filter + ": " + plan);
                }
            }
            for (OrderPosition after : ListQueryPlans.POSITIONS) {
                String plan = plan(admin, OrderListSql.of("doc::text", ListQueryPlans.PAID_TAB, after, 20));
                assertEquals(
                        2,
                        ListQueryPlans.occurrences(plan, "Index Scan Backward using orders_owner_status_created "),
                        plan);
                assertFalse(plan.contains("Sort  ("), "ranges are merged in order, not sorted: " + plan);
            }
        }
    }

    private static String plan(Connection connection, OrderListSql query) throws Exception {
        return ListQueryPlans.plan(connection, "EXPLAIN ", query, 1);
    }

    @Test
    void postgresSchemeIsAcceptedToo() {
        try (OrderStore other = OrderStores.open(uri("postgres"))) {
            other.createIfAbsent(unpaid("T9001", 100, T0));
        }
        assertEquals("T9001", store.find("T9001").orElseThrow().outTradeNo());
    }

    @Test
    void closedPortMakesTheFirstOperationStoreUnavailableNamingPostgresqlWithoutThePassword() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        try (OrderStore unreachable =
                OrderStores.open("postgresql://app:s3cret-pw@127.0.0.1:" + closedPort + "/orders?connectTimeout=2")) {
            StoreUnavailableException failure =
                    assertThrows(StoreUnavailableException.class, () -> unreachable.find("T1"));
            assertTrue(failure.getMessage().startsWith("postgresql order store unavailable"), failure.getMessage());
            assertFalse(failure.getMessage().contains("s3cret-pw"), failure.getMessage());
        }
    }
}
