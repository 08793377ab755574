package io.wxpayfn.store;

import io.wxpayfn.order.EventQueue;
import io.wxpayfn.order.EventQueuePosition;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderFilter;
import io.wxpayfn.order.OrderPosition;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.Product;
import io.wxpayfn.order.StateConflictException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

/**
 * PostgreSQL (and PostgreSQL-compatible engines): each order is a JSONB document beside its indexed key columns,
 * and every write is one SQL statement, so it is atomic without an explicit transaction. Connections are opened
 * lazily, at most {@value #MAX_CONNECTIONS}, and the schema is created or migrated by the first one.
 */
public final class PostgresOrderStore implements OrderStore {

    static final String KIND = "postgresql";
    /**
     * 1: orders, refund numbers, products; 2: openid and created_at columns with the listOrders indexes; 3: the event
     * queue columns events_due_at and events_parked_at with their partial indexes.
     */
    static final int SCHEMA_VERSION = 3;

    private static final int MAX_CONNECTIONS = 4;
    private static final long ACQUIRE_TIMEOUT_MILLIS = 10_000;
    /** Serialises schema migration across instances starting together. */
    private static final long MIGRATION_LOCK_KEY = 0x77787061795f7331L;

    private static final String UNIQUE_VIOLATION = "23505";

    private static final String CREATE = "WITH inserted AS (INSERT INTO orders (out_trade_no, status, updated_at, "
            + "version, doc, openid, created_at, events_due_at, events_parked_at) "
            + "VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) ON CONFLICT (out_trade_no) DO NOTHING RETURNING out_trade_no), "
            + "refund_nos AS (INSERT INTO refund_numbers (out_refund_no, out_trade_no) "
            + "SELECT n, inserted.out_trade_no FROM inserted, unnest(?::text[]) AS n) "
            + "SELECT count(*) FROM inserted";
    /** openid and createdAt never change; writing them repairs a row an older version inserted without them. */
    private static final String REPLACE = "WITH updated AS (UPDATE orders SET status = ?, updated_at = ?, version = ?, "
            + "doc = ?::jsonb, openid = ?, created_at = ?, events_due_at = ?, events_parked_at = ? "
            + "WHERE out_trade_no = ? AND version = ? AND status = ? RETURNING out_trade_no), "
            + "refund_nos AS (INSERT INTO refund_numbers (out_refund_no, out_trade_no) "
            + "SELECT n, updated.out_trade_no FROM updated, unnest(?::text[]) AS n) "
            + "SELECT count(*) FROM updated";

    /**
     * The driver is used directly, not looked up through DriverManager, whose registry is keyed by class loader
     * and can miss a driver that is on the application's class path (seen under Quarkus's test class loaders).
     */
    private static final Driver DRIVER = new org.postgresql.Driver();

    private final OrderDocumentCodec codec = new OrderDocumentCodec();
    private final String password;
    private final LazyConnectionPool pool;
    private volatile boolean schemaReady;

    private PostgresOrderStore(String jdbcUrl, Properties properties) {
        this.password = properties.getProperty("password");
        this.pool = new LazyConnectionPool(
                () -> {
                    Connection connection = DRIVER.connect(jdbcUrl, properties);
                    ensureSchema(connection);
                    return connection;
                },
                MAX_CONNECTIONS,
                ACQUIRE_TIMEOUT_MILLIS);
    }

    /**
     * Parses {@code postgresql://user:pass@host[:port][,host2…]/db?params} (or {@code postgres://}); connects on
     * first use. Query parameters pass to the JDBC driver (e.g. {@code sslmode=require}).
     */
    public static PostgresOrderStore fromUri(String uri) {
        String rest = uri.substring(uri.indexOf("://") + 3);
        int authorityEnd = indexOfAny(rest, '/', '?');
        String authority = rest.substring(0, authorityEnd);
        String tail = rest.substring(authorityEnd);
        int at = authority.lastIndexOf('@');
        String hosts = authority.substring(at + 1);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("ORDER_STORE_URI postgresql:// names no host; expected "
                    + "postgresql://user:password@host:port/database");
        }
        Properties properties = new Properties();
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            int colon = userInfo.indexOf(':');
            properties.setProperty("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            if (colon >= 0) {
                properties.setProperty("password", decode(userInfo.substring(colon + 1)));
            }
        }
        if (!tail.contains("connectTimeout=")) {
            properties.setProperty("connectTimeout", "5");
        }
        if (!tail.contains("socketTimeout=")) {
            properties.setProperty("socketTimeout", "30");
        }
        properties.setProperty("ApplicationName", "wxpayfn");
        String path = tail.startsWith("/") ? tail : "/" + tail;
        return new PostgresOrderStore("jdbc:postgresql://" + hosts + path, properties);
    }

    @Override
    public Order createIfAbsent(Order order) {
        return withConnection("create order " + order.outTradeNo(), connection -> {
            try (PreparedStatement insert = connection.prepareStatement(CREATE)) {
                insert.setString(1, order.outTradeNo());
                int refundNumbers = DocumentRows.bindColumns(insert, 2, order, codec.toJson(order));
                insert.setArray(refundNumbers, textArray(connection, StoreKeys.newRefundNumbers(null, order)));
                if (count(insert) == 1) {
                    return order;
                }
            }
            return selectOrder(connection, "SELECT doc::text FROM orders WHERE out_trade_no = ?", order.outTradeNo())
                    .orElseThrow(() -> new SQLException("order " + order.outTradeNo() + " vanished after a conflict"));
        });
    }

    @Override
    public Optional<Order> find(String outTradeNo) {
        return withConnection(
                "read order " + outTradeNo,
                connection ->
                        selectOrder(connection, "SELECT doc::text FROM orders WHERE out_trade_no = ?", outTradeNo));
    }

    @Override
    public Optional<Order> findByOutRefundNo(String outRefundNo) {
        return withConnection(
                "read refund " + outRefundNo,
                connection -> selectOrder(
                        connection,
                        "SELECT o.doc::text FROM refund_numbers r JOIN orders o ON o.out_trade_no = r.out_trade_no "
                                + "WHERE r.out_refund_no = ?",
                        outRefundNo));
    }

    @Override
    public boolean replaceIfCurrent(Order current, Order next) {
        StoreKeys.requireSameOrder(current, next);
        return withConnection("write order " + next.outTradeNo(), connection -> {
            try (PreparedStatement update = connection.prepareStatement(REPLACE)) {
                int where = DocumentRows.bindColumns(update, 1, next, codec.toJson(next));
                update.setString(where, current.outTradeNo());
                update.setLong(where + 1, current.version());
                update.setString(where + 2, current.status().name());
                update.setArray(where + 3, textArray(connection, StoreKeys.newRefundNumbers(current, next)));
                return count(update) == 1;
            }
        });
    }

    @Override
    public List<Order> findByStatus(
            Set<OrderStatus> statuses, Instant updatedAtOrBefore, String afterOutTradeNo, int limit) {
        if (statuses.isEmpty() || limit <= 0) {
            return List.of();
        }
        return withConnection("scan orders by status", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT doc::text FROM orders "
                    + "WHERE status = ANY (?::text[]) AND updated_at <= ? AND out_trade_no > ? "
                    + "ORDER BY out_trade_no LIMIT ?")) {
                select.setArray(
                        1,
                        textArray(connection, statuses.stream().map(Enum::name).toList()));
                select.setLong(2, StoreKeys.epochNanos(updatedAtOrBefore));
                select.setString(3, afterOutTradeNo == null ? "" : afterOutTradeNo);
                select.setInt(4, limit);
                return DocumentRows.all(select, codec::orderFromJson);
            }
        });
    }

    @Override
    public List<Order> listOrders(OrderFilter filter, OrderPosition after, int limit) {
        return page("list orders", limit, () -> OrderListSql.of("doc::text", filter, after, limit));
    }

    @Override
    public List<Order> findEventQueues(EventQueue queue, Instant atOrBefore, EventQueuePosition after, int limit) {
        return page("scan event queues", limit, () -> EventQueueSql.of("doc::text", queue, atOrBefore, after, limit));
    }

    /** Runs one page of a list query; a limit below one reads nothing. */
    private List<Order> page(String action, int limit, Supplier<OrderListSql> query) {
        if (limit <= 0) {
            return List.of();
        }
        OrderListSql sql = query.get();
        return withConnection(action, connection -> sql.run(connection, codec));
    }

    @Override
    public List<Order> findPaidBetween(Instant paidFrom, Instant paidBefore, String afterOutTradeNo, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return withConnection("scan orders by payment time", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT doc::text FROM orders "
                    + "WHERE status = ANY (?::text[]) AND updated_at >= ? "
                    + "AND (doc->>'paidAt')::timestamptz >= ? AND (doc->>'paidAt')::timestamptz < ? "
                    + "AND out_trade_no > ? ORDER BY out_trade_no LIMIT ?")) {
                select.setArray(1, textArray(connection, StoreKeys.PAYMENT_HELD));
                select.setLong(2, StoreKeys.updatedAtLowerBound(paidFrom));
                select.setObject(3, paidFrom.atOffset(ZoneOffset.UTC));
                select.setObject(4, paidBefore.atOffset(ZoneOffset.UTC));
                select.setString(5, afterOutTradeNo == null ? "" : afterOutTradeNo);
                select.setInt(6, limit);
                return DocumentRows.all(select, codec::orderFromJson);
            }
        });
    }

    @Override
    public void saveProducts(Collection<Product> products) {
        if (products.isEmpty()) {
            return;
        }
        withConnection("save products", connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "INSERT INTO products (id, doc) "
                            + "SELECT * FROM unnest(?::text[], ?::jsonb[]) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc")) {
                upsert.setArray(
                        1,
                        textArray(connection, products.stream().map(Product::id).toList()));
                upsert.setArray(
                        2,
                        connection.createArrayOf(
                                "jsonb", products.stream().map(codec::toJson).toArray(Object[]::new)));
                upsert.executeUpdate();
            }
            return null;
        });
    }

    /** One statement, so the new catalogue and the deactivation of what it no longer lists land together. */
    @Override
    public void replaceCatalogue(Collection<Product> catalogue) {
        withConnection("replace the catalogue", connection -> {
            try (PreparedStatement replace = connection.prepareStatement("WITH upserted AS (INSERT INTO products "
                    + "(id, doc) SELECT * FROM unnest(?::text[], ?::jsonb[]) ON CONFLICT (id) DO UPDATE "
                    + "SET doc = excluded.doc RETURNING id) UPDATE products SET doc = jsonb_set(doc, '{active}', "
                    + "'false') WHERE NOT (id = ANY(?::text[]))")) {
                Array ids = textArray(
                        connection, catalogue.stream().map(Product::id).toList());
                replace.setArray(1, ids);
                replace.setArray(
                        2,
                        connection.createArrayOf(
                                "jsonb", catalogue.stream().map(codec::toJson).toArray(Object[]::new)));
                replace.setArray(3, ids);
                replace.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Product> findProduct(String productId) {
        return withConnection("read product " + productId, connection -> {
            try (PreparedStatement select =
                    connection.prepareStatement("SELECT doc::text FROM products WHERE id = ?")) {
                select.setString(1, productId);
                return DocumentRows.first(select, codec::productFromJson);
            }
        });
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Creates or migrates the schema once per process; the advisory lock keeps concurrent starters apart. */
    private void ensureSchema(Connection connection) throws SQLException {
        if (schemaReady) {
            return;
        }
        synchronized (this) {
            if (schemaReady) {
                return;
            }
            connection.setAutoCommit(false);
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK_KEY + ")");
                ddl.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version (singleton boolean PRIMARY KEY "
                        + "DEFAULT true CHECK (singleton), version integer NOT NULL)");
                ddl.executeUpdate(
                        "CREATE TABLE IF NOT EXISTS orders (out_trade_no text COLLATE \"C\" PRIMARY KEY, "
                                + "status text NOT NULL, updated_at bigint NOT NULL, version bigint NOT NULL, doc jsonb NOT NULL, "
                                + "openid text COLLATE \"C\", created_at bigint, events_due_at bigint, events_parked_at bigint)");
                ddl.executeUpdate("CREATE INDEX IF NOT EXISTS orders_status_updated ON orders (status, updated_at)");
                ddl.executeUpdate("CREATE TABLE IF NOT EXISTS refund_numbers (out_refund_no text PRIMARY KEY, "
                        + "out_trade_no text COLLATE \"C\" NOT NULL)");
                ddl.executeUpdate("CREATE TABLE IF NOT EXISTS products (id text PRIMARY KEY, doc jsonb NOT NULL)");
                int stored = storedSchemaVersion(ddl);
                // ALTER TABLE locks the table exclusively, so each runs once, at its upgrade, not at every start.
                if (stored < 2) {
                    ddl.executeUpdate("ALTER TABLE orders ADD COLUMN IF NOT EXISTS openid text COLLATE \"C\", "
                            + "ADD COLUMN IF NOT EXISTS created_at bigint");
                    for (String index : OrderListSql.INDEXES) {
                        ddl.executeUpdate(index);
                    }
                }
                if (stored < 3) {
                    // No order of an earlier version has events, so the new columns are rightly null: nothing to fill.
                    ddl.executeUpdate("ALTER TABLE orders ADD COLUMN IF NOT EXISTS events_due_at bigint, "
                            + "ADD COLUMN IF NOT EXISTS events_parked_at bigint");
                    for (String index : EventQueueSql.INDEXES) {
                        ddl.executeUpdate(index);
                    }
                }
                // At every start, not only at the upgrade: also fills rows that instances still running version 1
                // insert during a rolling deployment. An index probe when there is nothing to fill.
                OrderListSql.backfill(connection, "doc::text", codec);
                ddl.executeUpdate("INSERT INTO schema_version (version) VALUES (" + SCHEMA_VERSION + ") "
                        + "ON CONFLICT (singleton) DO UPDATE SET version = excluded.version "
                        + "WHERE schema_version.version < excluded.version");
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                connection.close();
                throw e;
            } finally {
                if (!connection.isClosed()) {
                    connection.setAutoCommit(true);
                }
            }
            schemaReady = true;
        }
    }

    /** The version recorded in schema_version; 0 for a database that has none yet. */
    private static int storedSchemaVersion(Statement ddl) throws SQLException {
        try (ResultSet rows = ddl.executeQuery("SELECT version FROM schema_version")) {
            return rows.next() ? rows.getInt(1) : 0;
        }
    }

    private <T> T withConnection(String action, SqlWork<T> work) {
        Connection connection;
        try {
            connection = pool.acquire();
        } catch (SQLException e) {
            throw StoreFailure.unavailable(KIND, action, e, password);
        }
        boolean broken = true;
        try {
            T result = work.run(connection);
            broken = false;
            return result;
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                broken = false;
                throw new StateConflictException("could not " + action + ": one of its out_refund_no values "
                        + "already belongs to another order");
            }
            throw StoreFailure.unavailable(KIND, action, e, password);
        } finally {
            pool.release(connection, broken);
        }
    }

    private Optional<Order> selectOrder(Connection connection, String sql, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, key);
            return DocumentRows.first(select, codec::orderFromJson);
        }
    }

    private static long count(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Array textArray(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    private static int indexOfAny(String text, char first, char second) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == first || text.charAt(i) == second) {
                return i;
            }
        }
        return text.length();
    }

    /** Percent-decoding that keeps '+' (URLDecoder would make it a space). */
    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
