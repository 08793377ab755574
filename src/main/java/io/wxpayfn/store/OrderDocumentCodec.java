package io.wxpayfn.store;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.Product;

/**
 * Turns orders and products into the JSON documents every adapter stores, and back. The document also carries the
 * derived {@code payStatus}, {@code refundedTotal} and {@code merchantMode} ({@code DIRECT}, or {@code PARTNER} for an
 * order paid to the {@code subMerchant} it names) so that people and queries reading the store see them; they are
 * recomputed from the order on every write and ignored on read.
 */
public final class OrderDocumentCodec {

    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String toJson(Order order) {
        return write(new OrderDocument(
                order,
                order.status().payStatus(),
                order.refundedTotal(),
                order.subMerchant() == null ? "DIRECT" : "PARTNER"));
    }

    public Order orderFromJson(String json) {
        return read(json, Order.class);
    }

    public String toJson(Product product) {
        return write(product);
    }

    /** A JSON array of ids, for SQL that takes a list as one parameter. */
    public String idsToJson(java.util.Collection<String> ids) {
        return write(ids);
    }

    public Product productFromJson(String json) {
        return read(json, Product.class);
    }

    private String write(Object document) {
        try {
            return mapper.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an order document always serialises", e);
        }
    }

    /** The stored shape: the order's fields at the top level, then the derived ones (written straight, no tree). */
    private record OrderDocument(@JsonUnwrapped Order order, int payStatus, long refundedTotal, String merchantMode) {}

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "stored document is not a readable " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
