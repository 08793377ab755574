package io.wxpayfn.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Runs a query whose first column is a JSON document (both SQL adapters store documents so) and decodes it. */
final class DocumentRows {

    private DocumentRows() {}

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
