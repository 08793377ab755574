package io.wxpayfn.store;

import io.wxpayfn.order.EventQueue;
import io.wxpayfn.order.EventQueuePosition;
import io.wxpayfn.order.Order;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The event-queue scan of both SQL adapters ({@code findEventQueues}): columns {@code events_due_at} and
 * {@code events_parked_at} (epoch nanoseconds, null when the order's head event is not pending, resp. not parked),
 * each with a partial index on (key, out_trade_no) that holds only the orders with undelivered events. A page is one
 * forward range read of that index, its position a row-value comparison, as for the order lists.
 */
final class EventQueueSql {

    /** The columns, for an ALTER TABLE of either adapter. */
    static final List<String> COLUMNS = List.of("events_due_at", "events_parked_at");
    /** The partial indexes: only orders with undelivered events are in them, so they stay as small as the backlog. */
    static final List<String> INDEXES = List.of(
            "CREATE INDEX IF NOT EXISTS orders_events_due ON orders (events_due_at, out_trade_no) "
                    + "WHERE events_due_at IS NOT NULL",
            "CREATE INDEX IF NOT EXISTS orders_events_parked ON orders (events_parked_at, out_trade_no) "
                    + "WHERE events_parked_at IS NOT NULL");

    private EventQueueSql() {}

    /** The query selecting {@code documentColumn} for one page of at most {@code limit} orders in {@code queue}. */
    static OrderListSql of(
            String documentColumn, EventQueue queue, Instant atOrBefore, EventQueuePosition after, int limit) {
        String key = column(queue);
        List<Object> parameters = new ArrayList<>();
        List<String> conditions = new ArrayList<>(List.of(key + " IS NOT NULL"));
        if (atOrBefore != null) {
            conditions.add(key + " <= ?");
            parameters.add(StoreKeys.epochNanos(atOrBefore));
        }
        if (after != null) {
            conditions.add("(" + key + ", out_trade_no) > (?, ?)");
            parameters.add(StoreKeys.epochNanos(after.at()));
            parameters.add(after.outTradeNo());
        }
        parameters.add(limit);
        return new OrderListSql(
                "SELECT " + documentColumn + " FROM orders WHERE " + String.join(" AND ", conditions) + " ORDER BY "
                        + key + ", out_trade_no LIMIT ?",
                parameters);
    }

    /** Sets the two key columns of {@code order} at parameters {@code first} and {@code first + 1}. */
    static void bindKeys(PreparedStatement statement, int first, Order order) throws SQLException {
        setNullable(statement, first, StoreKeys.eventsDueKey(order));
        setNullable(statement, first + 1, StoreKeys.eventsParkedKey(order));
    }

    private static void setNullable(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private static String column(EventQueue queue) {
        return queue == EventQueue.PENDING ? "events_due_at" : "events_parked_at";
    }
}
