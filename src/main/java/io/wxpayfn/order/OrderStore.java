package io.wxpayfn.order;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The port every store adapter implements (sqlite, postgresql, mongodb). Each method is one atomic operation on
 * one document; adapters throw {@link StoreUnavailableException} for any failure of the store itself.
 */
public interface OrderStore extends AutoCloseable {

    /** Inserts the order unless one with its outTradeNo exists; returns what is stored afterwards either way. */
    Order createIfAbsent(Order order);

    Optional<Order> find(String outTradeNo);

    /** The order holding the refund with this out_refund_no. */
    Optional<Order> findByOutRefundNo(String outRefundNo);

    /**
     * One conditional write: replaces the stored document with {@code next} only if the stored one still has
     * {@code current}'s version and status. Returns false, changing nothing, when another writer got there first.
     */
    boolean replaceIfCurrent(Order current, Order next);

    /**
     * Orders in one of {@code statuses} last updated at or before {@code updatedAtOrBefore}, ordered by outTradeNo,
     * starting after {@code afterOutTradeNo} (null for the first page): the sweeper's paged scan.
     */
    List<Order> findByStatus(Set<OrderStatus> statuses, Instant updatedAtOrBefore, String afterOutTradeNo, int limit);

    /**
     * Up to {@code limit} orders matching {@code filter}, newest first by createdAt then outTradeNo (both
     * descending), strictly after {@code after} in that order (null: from the newest): one page of listOrders,
     * read through an index on (owner | status | nothing, createdAt, outTradeNo).
     */
    List<Order> listOrders(OrderFilter filter, OrderPosition after, int limit);

    /**
     * Orders holding a payment ({@link OrderStatus#holdsPayment()}) whose paidAt lies in [{@code paidFrom},
     * {@code paidBefore}), ordered by outTradeNo, starting after {@code afterOutTradeNo} (null for the first page):
     * reconcile's walk from the store to a day's trade bill. Adapters may narrow the scan to orders updated at or
     * after {@code paidFrom} minus {@link #PAID_AT_UPDATE_SLACK}: an order's updatedAt is never before its paidAt,
     * which is clamped to the moment the payment is applied (the slack covers clock skew between instances).
     */
    List<Order> findPaidBetween(Instant paidFrom, Instant paidBefore, String afterOutTradeNo, int limit);

    /** See {@link #findPaidBetween}. */
    Duration PAID_AT_UPDATE_SLACK = Duration.ofHours(1);

    /** Inserts or replaces catalogue entries by id. */
    void saveProducts(Collection<Product> products);

    /**
     * Makes {@code catalogue} the whole catalogue: each listed product is inserted or replaced, and every stored
     * product it does not list is deactivated (kept, so orders naming it still read, but no longer orderable).
     */
    void replaceCatalogue(Collection<Product> catalogue);

    Optional<Product> findProduct(String productId);

    /** Releases connections; the store is unusable afterwards. */
    @Override
    void close();
}
