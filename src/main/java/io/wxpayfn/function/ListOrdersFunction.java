package io.wxpayfn.function;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.funqy.Funq;
import io.wxpayfn.order.Caller;
import io.wxpayfn.order.ForbiddenException;
import io.wxpayfn.order.InvalidRequestException;
import io.wxpayfn.order.OrderFilter;
import io.wxpayfn.order.OrderPage;
import io.wxpayfn.order.OrderPosition;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.OrderStatus;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@code listOrders}: the caller's own orders, or any orders for the operator, newest first, a page at a time. */
public class ListOrdersFunction {

    private static final int DEFAULT_LIMIT = 20;
    private static final Set<String> FIELDS = Set.of("payStatus", "status", "limit", "cursor");
    private static final Set<String> OPERATOR_FIELDS = Set.of("createdFrom", "createdTo", "openid");
    private static final Pattern STATUS =
            Pattern.compile(Arrays.stream(OrderStatus.values()).map(Enum::name).collect(Collectors.joining("|")));
    private static final Pattern INSTANT = Pattern.compile("[0-9T:.+\\-Z]{1,40}");
    private static final Pattern OPENID = Pattern.compile("[0-9A-Za-z_\\-]{1,128}");
    private static final Pattern CURSOR = Pattern.compile("[0-9A-Za-z_\\-.]{1,256}");

    @Inject
    OrderService orders;

    @Inject
    Callers callers;

    @Inject
    OrderCursors cursors;

    @Funq("listOrders")
    public Envelope listOrders(JsonNode input) {
        return Responses.respond(() -> {
            Caller caller = callers.userOrOperator();
            RequestBody body = RequestBody.of(input);
            checkFieldNames(body, caller);
            OrderFilter filter = filter(body);
            OrderPosition after = body.optionalText("cursor", CURSOR, "the nextCursor of the previous page")
                    .map(cursor -> cursors.decode(caller, filter, cursor))
                    .orElse(null);
            int limit = body.optionalInt("limit", 1, OrderService.MAX_LIST_LIMIT, DEFAULT_LIMIT);
            OrderPage page = orders.listOrders(caller, filter, after, limit);
            return new OrderList(
                    page.orders().stream().map(OrderView::of).toList(),
                    page.next() == null ? null : cursors.encode(caller, filter, page.next()));
        });
    }

    /** The data of a listOrders answer; {@code nextCursor} is null on the last page. */
    public record OrderList(List<OrderView> orders, String nextCursor) {}

    /** An unknown field is refused rather than ignored: a misspelt filter would otherwise list the wrong orders. */
    private static void checkFieldNames(RequestBody body, Caller caller) {
        for (Iterator<String> names = body.node().fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (OPERATOR_FIELDS.contains(field) && !caller.operator()) {
                throw new ForbiddenException(field + ": operator only (X-Operator-Key); a user lists their own orders");
            }
            if (!FIELDS.contains(field) && !OPERATOR_FIELDS.contains(field)) {
                throw new InvalidRequestException(
                        field,
                        "is not a listOrders field; expected payStatus, status, "
                                + "limit, cursor, and for the operator createdFrom, createdTo, openid");
            }
        }
    }

    private static OrderFilter filter(RequestBody body) {
        int payStatus = body.optionalInt("payStatus", 1, 4, 0);
        Set<OrderStatus> statuses = body.optionalText(
                        "status", STATUS, "one of " + STATUS.pattern().replace("|", ", "))
                .map(status -> Set.of(OrderStatus.valueOf(status)))
                .orElse(Set.of());
        if (payStatus != 0 && !statuses.isEmpty()) {
            throw new InvalidRequestException("status", "cannot be combined with payStatus; send one of them");
        }
        Instant from = instant(body, "createdFrom");
        Instant to = instant(body, "createdTo");
        if (from != null && to != null && !to.isAfter(from)) {
            throw new InvalidRequestException("createdTo", "must be later than createdFrom");
        }
        return new OrderFilter(
                body.optionalText("openid", OPENID, "an openid").orElse(null),
                payStatus != 0 ? OrderFilter.withPayStatus(payStatus) : statuses,
                from,
                to);
    }

    private static Instant instant(RequestBody body, String field) {
        String expected = "an ISO-8601 instant with an offset, such as 2026-11-22T08:00:00Z";
        return body.optionalText(field, INSTANT, expected)
                .map(text -> {
                    try {
                        return OffsetDateTime.parse(text).toInstant();
                    } catch (DateTimeParseException e) {
                        throw new InvalidRequestException(field, "must be " + expected);
                    }
                })
                .orElse(null);
    }
}
