package io.wxpayfn.store;

import io.wxpayfn.order.Order;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The order rows of both SQL adapters: a JSON document beside the columns derived from it. Runs a query whose first
 * column is a document and decodes it, and binds the columns an insert or an update writes.
 */
final class DocumentRows {

    private DocumentRows() {}

    /**
     * Sets, from parameter {@code first} on, the columns every write of an order sets, in this order: status,
     * updated_at, version, doc ({@code document}, the order encoded), openid, created_at, events_due_at,
     * events_parked_at. Returns the index of the next parameter.
     */
    static int bindColumns(PreparedStatement statement, int first, Order order, String document) throws SQLException {
        statement.setString(first, order.status().name());
        statement.setLong(first + 1, StoreKeys.updatedAtKey(order));
        statement.setLong(first + 2, order.version());
        statement.setString(first + 3, document);
        statement.setString(first + 4, order.openid());
        statement.setLong(first + 5, StoreKeys.createdAtKey(order));
        EventQueueSql.bindKeys(statement, first + 6, order);
        return first + 8;
    }

    static <T> List<T> all(PreparedStatement select, Function<String, T> decode) throws SQLException {
        List<T> documents = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                documents.add(decode.apply(rows.getString(1)));
            }
        }
        return documents;
    }

    static <T> Optional<T> first(PreparedStatement select, Function<String, T> decode) throws SQLException {
        try (ResultSet rows = select.executeQuery()) {
            return rows.next() ? Optional.of(decode.apply(rows.getString(1))) : Optional.empty();
        }
    }
}
