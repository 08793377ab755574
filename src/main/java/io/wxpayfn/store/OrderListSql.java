package io.wxpayfn.store;

import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderFilter;
import io.wxpayfn.order.OrderPosition;
import io.wxpayfn.order.OrderStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The listOrders query of both SQL adapters, which share the columns {@code openid}, {@code status},
 * {@code created_at} (epoch nanoseconds) and {@code out_trade_no}. Every filter has an index whose equality columns
 * it fixes and which ends in (created_at, out_trade_no), so a page is one backward range read of about as many index
 * entries as it returns, never a sort of all matching rows: the position is a row-value comparison on those two
 * columns, which SQLite and PostgreSQL both read as a range. A filter on several statuses (payStatus 2) reads one
 * such range per status, each at most a page long, and merges them.
 */
final class OrderListSql {

    /**
     * The index statements of the list columns, run when either adapter creates or migrates its schema: by owner,
     * by owner and status, by status, and by creation alone (the operator's unfiltered or time-range list).
     */
    static final List<String> INDEXES = List.of(
            "CREATE INDEX IF NOT EXISTS orders_owner_created ON orders (openid, created_at, out_trade_no)",
            "CREATE INDEX IF NOT EXISTS orders_owner_status_created ON orders (openid, status, created_at, out_trade_no)",
            "CREATE INDEX IF NOT EXISTS orders_status_created ON orders (status, created_at, out_trade_no)",
            "CREATE INDEX IF NOT EXISTS orders_created ON orders (created_at, out_trade_no)");

    private static final String NEWEST_FIRST = " ORDER BY created_at DESC, out_trade_no DESC LIMIT ?";
    private static final int BACKFILL_BATCH = 500;

    private final String sql;
    private final List<Object> parameters;

    /** A query whose first column is an order document, with its parameters (also {@link EventQueueSql}'s). */
    OrderListSql(String sql, List<Object> parameters) {
        this.sql = sql;
        this.parameters = parameters;
    }

    /** The query selecting {@code documentColumn} (e.g. {@code doc}) for one page of at most {@code limit} rows. */
    static OrderListSql of(String documentColumn, OrderFilter filter, OrderPosition after, int limit) {
        List<String> statuses =
                filter.statuses().stream().map(OrderStatus::name).sorted().toList();
        List<Object> parameters = new ArrayList<>();
        if (statuses.size() <= 1) {
            String sql = "SELECT " + documentColumn + " FROM orders WHERE "
                    + conditions(filter, statuses.isEmpty() ? null : statuses.get(0), after, parameters) + NEWEST_FIRST;
            parameters.add(limit);
            return new OrderListSql(sql, parameters);
        }
        List<String> ranges = new ArrayList<>();
        for (String status : statuses) {
            ranges.add(
                    "SELECT * FROM (SELECT " + documentColumn + " AS doc, created_at, out_trade_no FROM orders WHERE "
                            + conditions(filter, status, after, parameters) + NEWEST_FIRST + ") AS s" + ranges.size());
            parameters.add(limit);
        }
        parameters.add(limit);
        return new OrderListSql(
                "SELECT doc FROM (" + String.join(" UNION ALL ", ranges) + ") AS ranges" + NEWEST_FIRST, parameters);
    }

    /** The WHERE clause of one range; a row an older version wrote without created_at is not listed until filled. */
    private static String conditions(OrderFilter filter, String status, OrderPosition after, List<Object> parameters) {
        List<String> conditions = new ArrayList<>(List.of("created_at IS NOT NULL"));
        if (filter.openid() != null) {
            conditions.add("openid = ?");
            parameters.add(filter.openid());
        }
        if (status != null) {
            conditions.add("status = ?");
            parameters.add(status);
        }
        if (filter.createdFrom() != null) {
            conditions.add("created_at >= ?");
            parameters.add(StoreKeys.epochNanos(filter.createdFrom()));
        }
        if (filter.createdTo() != null) {
            conditions.add("created_at < ?");
            parameters.add(StoreKeys.epochNanos(filter.createdTo()));
        }
        if (after != null) {
            conditions.add("(created_at, out_trade_no) < (?, ?)");
            parameters.add(StoreKeys.epochNanos(after.createdAt()));
            parameters.add(after.outTradeNo());
        }
        return String.join(" AND ", conditions);
    }

    /**
     * Fills openid and created_at from the document of every row that lacks them (rows of an earlier version), in
     * batches; each row's values come from its own document, so running this twice or concurrently is harmless.
     */
    static void backfill(Connection connection, String documentColumn, OrderDocumentCodec codec) throws SQLException {
        while (true) {
            Map<String, Order> batch = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT out_trade_no, " + documentColumn
                            + " FROM orders WHERE created_at IS NULL LIMIT " + BACKFILL_BATCH);
                    ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    batch.put(rows.getString(1), codec.orderFromJson(rows.getString(2)));
                }
            }
            if (batch.isEmpty()) {
                return;
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE orders SET openid = ?, created_at = ? WHERE out_trade_no = ?")) {
                for (Map.Entry<String, Order> row : batch.entrySet()) {
                    update.setString(1, row.getValue().openid());
                    update.setLong(2, StoreKeys.createdAtKey(row.getValue()));
                    update.setString(3, row.getKey());
                    update.addBatch();
                }
                update.executeBatch();
            }
        }
    }

    /** Runs the query and decodes the page. */
    List<Order> run(Connection connection, OrderDocumentCodec codec) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            bind(select);
            return DocumentRows.all(select, codec::orderFromJson);
        }
    }

    String sql() {
        return sql;
    }

    /** Sets the parameters of a statement prepared from {@link #sql()}. */
    void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }
}
