package io.wxpayfn.store;

import io.wxpayfn.order.OrderFilter;
import io.wxpayfn.order.OrderPosition;
import io.wxpayfn.order.OrderStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** What the SQL plan tests of listOrders share: each filter with the index it must be read through, and EXPLAIN. */
final class ListQueryPlans {

    /** payStatus 2 of one owner: two statuses, so two ranges merged. */
    static final OrderFilter PAID_TAB = OrderFilter.any().ownedBy("o-1").withStatuses(OrderFilter.withPayStatus(2));
    /** A first page and a later one. */
    static final List<OrderPosition> POSITIONS = Arrays.asList(null, new OrderPosition(OrderStoreContract.T0, "T1"));

    private ListQueryPlans() {}

    /** Every kind of list with the index named after the fields it fixes. */
    static List<Map.Entry<String, OrderFilter>> filtersAndTheirIndexes() {
        return List.of(
                Map.entry("orders_created", OrderFilter.any()),
                Map.entry("orders_owner_created", OrderFilter.any().ownedBy("o-1")),
                Map.entry("orders_status_created", OrderFilter.any().withStatuses(Set.of(OrderStatus.REFUNDING))),
                Map.entry(
                        "orders_owner_status_created",
                        OrderFilter.any().ownedBy("o-1").withStatuses(Set.of(OrderStatus.NOTPAY))),
                Map.entry(
                        "orders_created",
                        OrderFilter.any()
                                .createdBetween(OrderStoreContract.T0, OrderStoreContract.T0.plusSeconds(60))));
    }

    /** The lines of {@code explain} (e.g. "EXPLAIN ") run on the query, taken from the result's {@code column}. */
    static String plan(Connection connection, String explain, OrderListSql query, int column) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(explain + query.sql())) {
            query.bind(statement);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    plan.append(rows.getString(column)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    static int occurrences(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
