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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a write is on disk before it is
 * acknowledged. SQLite takes one writer at a time, so one connection serves every write under a lock; reads use
 * pooled connections of their own, so they never queue behind a commit's fsync (WAL gives each a consistent
 * snapshot, and the conditional write catches any read that went stale).
 */
public final class SqliteOrderStore implements OrderStore {

    static final String KIND = "sqlite";
    private static final int BUSY_TIMEOUT_MILLIS = 5_000;
    private static final int IDLE_READERS = 8;

    private final OrderDocumentCodec codec = new OrderDocumentCodec();
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection connection;
    private final SQLiteConfig config = new SQLiteConfig();
    private final String url;
    private final BlockingQueue<Connection> idleReaders = new ArrayBlockingQueue<>(IDLE_READERS);

    /** Opens (creating if needed) the database file and its schema; fails fast when the file cannot be used. */
    public SqliteOrderStore(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw StoreFailure.unavailable(KIND, "create the directory of " + file, e, null);
        }
        url = "jdbc:sqlite:" + file;
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        try {
            connection = config.createConnection(url);
        } catch (SQLException e) {
            throw StoreFailure.unavailable(KIND, "open " + file, e, null);
        }
        try (Statement ddl = connection.createStatement()) {
            ddl.executeUpdate("CREATE TABLE IF NOT EXISTS orders (out_trade_no TEXT PRIMARY KEY, status TEXT NOT NULL, "
                    + "updated_at INTEGER NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL, "
                    + "openid TEXT, created_at INTEGER, events_due_at INTEGER, events_parked_at INTEGER)");
            ddl.executeUpdate("CREATE INDEX IF NOT EXISTS orders_status_updated ON orders (status, updated_at)");
            ddl.executeUpdate("CREATE TABLE IF NOT EXISTS refund_numbers (out_refund_no TEXT PRIMARY KEY, "
                    + "out_trade_no TEXT NOT NULL)");
            ddl.executeUpdate("CREATE TABLE IF NOT EXISTS products (id TEXT PRIMARY KEY, doc TEXT NOT NULL)");
            addListAndEventColumns(ddl);
        } catch (SQLException e) {
            closeQuietly();
            throw StoreFailure.unavailable(KIND, "create the schema in " + file, e, null);
        }
    }

    @Override
    public Order createIfAbsent(Order order) {
        return inTransaction("create order " + order.outTradeNo(), () -> {
            int inserted;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders (out_trade_no, status, "
                    + "updated_at, version, doc, openid, created_at, events_due_at, events_parked_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (out_trade_no) DO NOTHING")) {
                insert.setString(1, order.outTradeNo());
                DocumentRows.bindColumns(insert, 2, order, codec.toJson(order));
                inserted = insert.executeUpdate();
            }
            if (inserted == 0) {
                return findOrder(connection, order.outTradeNo()).orElseThrow();
            }
            registerRefundNumbers(order.outTradeNo(), StoreKeys.newRefundNumbers(null, order));
            return order;
        });
    }

    @Override
    public Optional<Order> find(String outTradeNo) {
        return reading("read order " + outTradeNo, reader -> findOrder(reader, outTradeNo));
    }

    @Override
    public Optional<Order> findByOutRefundNo(String outRefundNo) {
        return reading("read refund " + outRefundNo, reader -> {
            try (PreparedStatement select = reader.prepareStatement("SELECT o.doc FROM refund_numbers r "
                    + "JOIN orders o ON o.out_trade_no = r.out_trade_no WHERE r.out_refund_no = ?")) {
                select.setString(1, outRefundNo);
                return DocumentRows.first(select, codec::orderFromJson);
            }
        });
    }

    @Override
    public boolean replaceIfCurrent(Order current, Order next) {
        StoreKeys.requireSameOrder(current, next);
        return inTransaction("write order " + next.outTradeNo(), () -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE orders SET status = ?, "
                    + "updated_at = ?, version = ?, doc = ?, openid = ?, created_at = ?, events_due_at = ?, "
                    + "events_parked_at = ? WHERE out_trade_no = ? AND version = ? AND status = ?")) {
                // openid and createdAt never change; writing them repairs a row an older version inserted.
                int where = DocumentRows.bindColumns(update, 1, next, codec.toJson(next));
                update.setString(where, current.outTradeNo());
                update.setLong(where + 1, current.version());
                update.setString(where + 2, current.status().name());
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            registerRefundNumbers(next.outTradeNo(), StoreKeys.newRefundNumbers(current, next));
            return true;
        });
    }

    @Override
    public List<Order> findByStatus(
            Set<OrderStatus> statuses, Instant updatedAtOrBefore, String afterOutTradeNo, int limit) {
        if (statuses.isEmpty() || limit <= 0) {
            return List.of();
        }
        String placeholders = String.join(", ", java.util.Collections.nCopies(statuses.size(), "?"));
        String sql = "SELECT doc FROM orders WHERE status IN (" + placeholders + ") AND updated_at <= ? "
                + "AND out_trade_no > ? ORDER BY out_trade_no LIMIT ?";
        return reading("scan orders by status", reader -> {
            try (PreparedStatement select = reader.prepareStatement(sql)) {
                int index = 1;
                for (OrderStatus status : statuses) {
                    select.setString(index++, status.name());
                }
                select.setLong(index++, StoreKeys.epochNanos(updatedAtOrBefore));
                select.setString(index++, afterOutTradeNo == null ? "" : afterOutTradeNo);
                select.setInt(index, limit);
                return DocumentRows.all(select, codec::orderFromJson);
            }
        });
    }

    @Override
    public List<Order> listOrders(OrderFilter filter, OrderPosition after, int limit) {
        return page("list orders", limit, () -> OrderListSql.of("doc", filter, after, limit));
    }

    @Override
    public List<Order> findEventQueues(EventQueue queue, Instant atOrBefore, EventQueuePosition after, int limit) {
        return page("scan event queues", limit, () -> EventQueueSql.of("doc", queue, atOrBefore, after, limit));
    }

    /** Runs one page of a list query; a limit below one reads nothing. */
    private List<Order> page(String action, int limit, Supplier<OrderListSql> query) {
        if (limit <= 0) {
            return List.of();
        }
        OrderListSql sql = query.get();
        return reading(action, reader -> sql.run(reader, codec));
    }

    @Override
    public List<Order> findPaidBetween(Instant paidFrom, Instant paidBefore, String afterOutTradeNo, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        String placeholders = String.join(", ", java.util.Collections.nCopies(StoreKeys.PAYMENT_HELD.size(), "?"));
        // julianday() reads the codec's ISO-8601 instants (any fraction digits, 'Z') as times, not as text.
        String sql = "SELECT doc FROM orders WHERE status IN (" + placeholders + ") AND updated_at >= ? "
                + "AND julianday(json_extract(doc, '$.paidAt')) >= julianday(?) "
                + "AND julianday(json_extract(doc, '$.paidAt')) < julianday(?) "
                + "AND out_trade_no > ? ORDER BY out_trade_no LIMIT ?";
        return reading("scan orders by payment time", reader -> {
            try (PreparedStatement select = reader.prepareStatement(sql)) {
                int index = 1;
                for (String status : StoreKeys.PAYMENT_HELD) {
                    select.setString(index++, status);
                }
                select.setLong(index++, StoreKeys.updatedAtLowerBound(paidFrom));
                select.setString(index++, paidFrom.toString());
                select.setString(index++, paidBefore.toString());
                select.setString(index++, afterOutTradeNo == null ? "" : afterOutTradeNo);
                select.setInt(index, limit);
                return DocumentRows.all(select, codec::orderFromJson);
            }
        });
    }

    @Override
    public void saveProducts(Collection<Product> products) {
        inTransaction("save products", () -> {
            upsertProducts(products);
            return null;
        });
    }

    private void upsertProducts(Collection<Product> products) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO products (id, doc) VALUES (?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET doc = excluded.doc")) {
            for (Product product : products) {
                upsert.setString(1, product.id());
                upsert.setString(2, codec.toJson(product));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    @Override
    public void replaceCatalogue(Collection<Product> catalogue) {
        inTransaction("replace the catalogue", () -> {
            upsertProducts(catalogue);
            try (PreparedStatement deactivate = connection.prepareStatement("UPDATE products "
                    + "SET doc = json_set(doc, '$.active', json('false')) "
                    + "WHERE id NOT IN (SELECT value FROM json_each(?))")) {
                deactivate.setString(
                        1, codec.idsToJson(catalogue.stream().map(Product::id).toList()));
                deactivate.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Product> findProduct(String productId) {
        return reading("read product " + productId, reader -> {
            try (PreparedStatement select = reader.prepareStatement("SELECT doc FROM products WHERE id = ?")) {
                select.setString(1, productId);
                return DocumentRows.first(select, codec::productFromJson);
            }
        });
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeQuietly();
            for (Connection reader = idleReaders.poll(); reader != null; reader = idleReaders.poll()) {
                closeQuietly(reader);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Brings a file made by an earlier version up to date: adds openid and created_at (listOrders) and the event
     * queue keys (order events), their indexes, and fills the list keys from each document (no order of an earlier
     * version has events, so its event keys are rightly null). Under BEGIN IMMEDIATE, so processes opening the file
     * together migrate it once; the backfill also catches rows an older process inserted since (no created_at).
     */
    private void addListAndEventColumns(Statement ddl) throws SQLException {
        ddl.execute("BEGIN IMMEDIATE");
        try {
            Set<String> columns = new HashSet<>();
            try (ResultSet rows = ddl.executeQuery("PRAGMA table_info(orders)")) {
                while (rows.next()) {
                    columns.add(rows.getString("name"));
                }
            }
            if (!columns.contains("openid")) {
                ddl.executeUpdate("ALTER TABLE orders ADD COLUMN openid TEXT");
            }
            if (!columns.contains("created_at")) {
                ddl.executeUpdate("ALTER TABLE orders ADD COLUMN created_at INTEGER");
            }
            for (String column : EventQueueSql.COLUMNS) {
                if (!columns.contains(column)) {
                    ddl.executeUpdate("ALTER TABLE orders ADD COLUMN " + column + " INTEGER");
                }
            }
            for (String index : OrderListSql.INDEXES) {
                ddl.executeUpdate(index);
            }
            for (String index : EventQueueSql.INDEXES) {
                ddl.executeUpdate(index);
            }
            OrderListSql.backfill(connection, "doc", codec);
            ddl.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            ddl.execute("ROLLBACK");
            throw e;
        }
    }

    private Optional<Order> findOrder(Connection on, String outTradeNo) throws SQLException {
        try (PreparedStatement select = on.prepareStatement("SELECT doc FROM orders WHERE out_trade_no = ?")) {
            select.setString(1, outTradeNo);
            return DocumentRows.first(select, codec::orderFromJson);
        }
    }

    /** Registers refund numbers; one already held by another order aborts the whole write. */
    private void registerRefundNumbers(String outTradeNo, List<String> outRefundNos) throws SQLException {
        if (outRefundNos.isEmpty()) {
            return;
        }
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO refund_numbers (out_refund_no, out_trade_no) VALUES (?, ?)")) {
            for (String outRefundNo : outRefundNos) {
                insert.setString(1, outRefundNo);
                insert.setString(2, outTradeNo);
                try {
                    insert.executeUpdate();
                } catch (SQLiteException e) {
                    if (e.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
                        throw new RefundNumberTaken(outRefundNo);
                    }
                    throw e;
                }
            }
        }
    }

    private <T> T inTransaction(String action, SqlWork<T> work) {
        return locked(action, () -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    private <T> T locked(String action, SqlWork<T> work) {
        lock.lock();
        try {
            return work.run();
        } catch (RefundNumberTaken e) {
            throw new StateConflictException("out_refund_no " + e.getMessage() + " already belongs to another order");
        } catch (SQLException e) {
            throw StoreFailure.unavailable(KIND, action, e, null);
        } finally {
            lock.unlock();
        }
    }

    /** Runs a read on an idle reader connection (opened when none is idle), then keeps up to 8 for reuse. */
    private <T> T reading(String action, SqlRead<T> work) {
        Connection reader = idleReaders.poll();
        try {
            if (reader == null) {
                if (connection.isClosed()) {
                    throw new SQLException("the store is closed");
                }
                reader = config.createConnection(url);
            }
            T result = work.run(reader);
            if (idleReaders.offer(reader)) {
                reader = null;
            }
            return result;
        } catch (SQLException e) {
            throw StoreFailure.unavailable(KIND, action, e, null);
        } finally {
            if (reader != null) {
                closeQuietly(reader);
            }
        }
    }

    private void closeQuietly() {
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection closing) {
        try {
            closing.close();
        } catch (SQLException ignored) {
            // Closing is best effort: the file is consistent after every commit.
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    @FunctionalInterface
    private interface SqlRead<T> {
        T run(Connection reader) throws SQLException;
    }

    /** Signals, inside a transaction, that an out_refund_no is held by another order; it is rolled back. */
    private static final class RefundNumberTaken extends RuntimeException {
        RefundNumberTaken(String outRefundNo) {
            super(outRefundNo, null, false, false);
        }
    }
}
