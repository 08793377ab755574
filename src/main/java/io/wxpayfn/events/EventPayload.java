package io.wxpayfn.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wxpayfn.function.OrderView;
import io.wxpayfn.order.OrderEvent;
import java.time.Instant;

/**
 * The JSON body the shop's service receives: the event's stable id, type, sequence and time, and the order as it
 * stood right after the event, in the very view queryOrder answers. The same bytes on every attempt of an event.
 */
final class EventPayload {

    private final ObjectMapper json;

    /** @param json the functions' own mapper, so the order view reads exactly as queryOrder's */
    EventPayload(ObjectMapper json) {
        this.json = json;
    }

    /** One delivery body; {@code outRefundNo} only for REFUND_* events, {@code alert} only for ORDER_ALERT. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Body(
            String id,
            String type,
            String outTradeNo,
            int sequence,
            Instant createdAt,
            String outRefundNo,
            String alert,
            OrderView order) {}

    byte[] render(OrderEvent event) {
        try {
            return json.writeValueAsBytes(new Body(
                    event.id(),
                    event.type().name(),
                    event.outTradeNo(),
                    event.sequence(),
                    event.createdAt(),
                    event.outRefundNo(),
                    event.alert(),
                    OrderView.of(event.order())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event body always serialises", e);
        }
    }
}
