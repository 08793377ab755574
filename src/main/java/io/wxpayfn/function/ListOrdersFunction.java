package io.wxpayfn.function;

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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code listOrders}: the caller's own orders, or any orders for the operator, newest first, a page at a time. */
public class ListOrdersFunction {

    private static final Pattern INSTANT = Pattern.compile("[0-9T:.+\\-Z]{1,40}");
    private static final String INSTANT_FORM = "an ISO-8601 instant with an offset, such as 2026-11-22T08:00:00Z";
    private static final Pattern CURSOR = Pattern.compile("[0-9A-Za-z_\\-.]{1,256}");
    private static final Pattern OPENID = Pattern.compile("[0-9A-Za-z_\\-]{1,128}");

    /**
     * The input of listOrders: a filter (payStatus or status), the page size and the previous page's cursor; the
     * operator may also filter by creation time and payer. An unknown field is refused rather than ignored: a
     * misspelt filter would otherwise list the wrong orders.
     */
    public record ListOrdersInput(
            Integer payStatus,
            OrderStatus status,
            Integer limit,
            String cursor,
            String createdFrom,
            String createdTo,
            String openid) {

        public ListOrdersInput {
            InputFields.range("payStatus", payStatus, 1, 4);
            limit = InputFields.range("limit", limit == null ? 20 : limit, 1, OrderService.MAX_LIST_LIMIT);
            InputFields.form("cursor", cursor, CURSOR, "the nextCursor of the previous page");
            InputFields.form("createdFrom", createdFrom, INSTANT, INSTANT_FORM);
            InputFields.form("createdTo", createdTo, INSTANT, INSTANT_FORM);
            InputFields.form("openid", openid, OPENID, "an openid");
        }

        /** The first operator-only field given, if any. */
        Optional<String> operatorField() {
            return createdFrom != null
                    ? Optional.of("createdFrom")
                    : createdTo != null
                            ? Optional.of("createdTo")
                            : Optional.ofNullable(openid).map(o -> "openid");
        }
    }

    @Inject
    OrderService orders;

    @Inject
    Callers callers;

    @Inject
    OrderCursors cursors;

    @Funq("listOrders")
    public Envelope listOrders(ListOrdersInput input) {
        return Responses.respond(() -> {
            Caller caller = callers.userOrOperator();
            if (!caller.operator() && input.operatorField().isPresent()) {
                throw new ForbiddenException(input.operatorField().get()
                        + ": operator only (X-Operator-Key); a user lists their own orders");
            }
            OrderFilter filter = filter(input);
            OrderPosition after = input.cursor() == null ? null : cursors.decode(caller, filter, input.cursor());
            OrderPage page = orders.listOrders(caller, filter, after, input.limit());
            return new OrderList(
                    page.orders().stream().map(OrderView::of).toList(),
                    page.next() == null ? null : cursors.encode(caller, filter, page.next()));
        });
    }

    /** The data of a listOrders answer; {@code nextCursor} is null on the last page. */
    public record OrderList(List<OrderView> orders, String nextCursor) {}

    private static OrderFilter filter(ListOrdersInput input) {
        if (input.payStatus() != null && input.status() != null) {
            throw new InvalidRequestException("status", "cannot be combined with payStatus; send one of them");
        }
        Instant from = instant(input.createdFrom(), "createdFrom");
        Instant to = instant(input.createdTo(), "createdTo");
        if (from != null && to != null && !to.isAfter(from)) {
            throw new InvalidRequestException("createdTo", "must be later than createdFrom");
        }
        return new OrderFilter(
                input.openid(),
                input.payStatus() != null
                        ? OrderFilter.withPayStatus(input.payStatus())
                        : input.status() != null ? Set.of(input.status()) : Set.of(),
                from,
                to);
    }

    private static Instant instant(String text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field, "must be " + INSTANT_FORM);
        }
    }
}
