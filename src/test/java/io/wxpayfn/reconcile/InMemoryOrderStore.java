package io.wxpayfn.reconcile;

import io.wxpayfn.order.EventQueue;
import io.wxpayfn.order.EventQueuePosition;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderFilter;
import io.wxpayfn.order.OrderPosition;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.Outbox;
import io.wxpayfn.order.Product;
import io.wxpayfn.order.StoreUnavailableException;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** An OrderStore in a sorted map, with the real conditional write (version and status) and an injectable outage. */
public final class InMemoryOrderStore implements OrderStore {

    private final TreeMap<String, Order> orders = new TreeMap<>();
    private final Map<String, Product> products = new ConcurrentHashMap<>();
    private int writesUntilOutage = -1;

    /** After {@code writes} more successful writes, every call fails as if the database went away. */
    synchronized void failAfterWrites(int writes) {
        writesUntilOutage = writes;
    }

    synchronized void recover() {
        writesUntilOutage = -1;
    }

    /** Every stored order, by outTradeNo. */
    public synchronized Map<String, Order> snapshot() {
        return Map.copyOf(orders);
    }

    @Override
    public synchronized Order createIfAbsent(Order order) {
        checkAvailable();
        return orders.computeIfAbsent(order.outTradeNo(), k -> order);
    }

    @Override
    public synchronized Optional<Order> find(String outTradeNo) {
        checkAvailable();
        return Optional.ofNullable(orders.get(outTradeNo));
    }

    @Override
    public synchronized Optional<Order> findByOutRefundNo(String outRefundNo) {
        checkAvailable();
        return orders.values().stream()
                .filter(o -> o.refund(outRefundNo).isPresent())
                .findFirst();
    }

    @Override
    public synchronized boolean replaceIfCurrent(Order current, Order next) {
        checkAvailable();
        Order stored = orders.get(current.outTradeNo());
        if (stored == null || stored.version() != current.version() || stored.status() != current.status()) {
            return false;
        }
        orders.put(next.outTradeNo(), next);
        if (writesUntilOutage > 0) {
            writesUntilOutage--;
        }
        return true;
    }

    @Override
    public synchronized List<Order> findByStatus(
            Set<OrderStatus> statuses, Instant updatedAtOrBefore, String afterOutTradeNo, int limit) {
        checkAvailable();
        Map<String, Order> tail = afterOutTradeNo == null ? orders : orders.tailMap(afterOutTradeNo, false);
        return tail.values().stream()
                .filter(o -> statuses.contains(o.status()) && !o.updatedAt().isAfter(updatedAtOrBefore))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<Order> listOrders(OrderFilter filter, OrderPosition after, int limit) {
        checkAvailable();
        return orders.values().stream()
                .filter(o -> filter.matches(o) && (after == null || after.precedes(o)))
                .sorted(Comparator.comparing(OrderPosition::of))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<Order> findPaidBetween(
            Instant paidFrom, Instant paidBefore, String afterOutTradeNo, int limit) {
        checkAvailable();
        Map<String, Order> tail = afterOutTradeNo == null ? orders : orders.tailMap(afterOutTradeNo, false);
        return tail.values().stream()
                .filter(o -> o.status().holdsPayment()
                        && o.paidAt() != null
                        && !o.paidAt().isBefore(paidFrom)
                        && o.paidAt().isBefore(paidBefore))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<Order> findEventQueues(
            EventQueue queue, Instant atOrBefore, EventQueuePosition after, int limit) {
        checkAvailable();
        Function<Order, Instant> key = queue == EventQueue.PENDING ? Outbox::dueAt : Outbox::parkedAt;
        Comparator<Order> order = Comparator.comparing(key).thenComparing(Order::outTradeNo);
        return orders.values().stream()
                .filter(o -> key.apply(o) != null)
                .filter(o -> atOrBefore == null || !key.apply(o).isAfter(atOrBefore))
                .filter(o -> after == null
                        || key.apply(o).isAfter(after.at())
                        || (key.apply(o).equals(after.at()) && o.outTradeNo().compareTo(after.outTradeNo()) > 0))
                .sorted(order)
                .limit(limit)
                .toList();
    }

    @Override
    public void saveProducts(Collection<Product> newProducts) {
        newProducts.forEach(p -> products.put(p.id(), p));
    }

    @Override
    public void replaceCatalogue(Collection<Product> catalogue) {
        Set<String> listed = new java.util.HashSet<>();
        catalogue.forEach(p -> listed.add(p.id()));
        products.replaceAll((id, p) -> listed.contains(id) ? p : new Product(p.id(), p.name(), p.price(), false));
        saveProducts(catalogue);
    }

    @Override
    public Optional<Product> findProduct(String productId) {
        return Optional.ofNullable(products.get(productId));
    }

    @Override
    public void close() {}

    private void checkAvailable() {
        if (writesUntilOutage == 0) {
            throw new StoreUnavailableException("test store is down", null);
        }
    }
}
