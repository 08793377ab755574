package io.wxpayfn.order;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An OrderStore in memory with the semantics of the real adapters, proven by the store contract
 * (InMemoryOrderStoreTest): a create never replaces an existing order, a write lands only on the version and status
 * it was computed from, an out_refund_no belongs to one order only (a clash is a {@link StateConflictException} and
 * nothing is written). One lock makes every operation atomic, as each adapter's one-document write is. An outage can
 * be injected.
 */
public final class InMemoryOrderStore implements OrderStore {

    private final TreeMap<String, Order> orders = new TreeMap<>();
    /** out_refund_no to the outTradeNo of the order holding it: the adapters' unique refund-number index. */
    private final Map<String, String> refundNumbers = new HashMap<>();

    private final Map<String, Product> products = new HashMap<>();
    private int writesUntilOutage = -1;
    private int racesToLose;

    /** After {@code writes} more successful writes, every call fails as if the database went away. */
    public synchronized void failAfterWrites(int writes) {
        writesUntilOutage = writes;
    }

    /**
     * Each of the next {@code races} conditional writes loses a real race: just before it, a concurrent writer changes
     * the same order (its outbox bookkeeping, a new version), so the write's own version check refuses it.
     */
    public synchronized void loseNextRaces(int races) {
        racesToLose = races;
    }

    public synchronized void recover() {
        writesUntilOutage = -1;
    }

    /** Every stored order, by outTradeNo. */
    public synchronized Map<String, Order> snapshot() {
        return Map.copyOf(orders);
    }

    @Override
    public synchronized Order createIfAbsent(Order order) {
        checkAvailable();
        Order stored = orders.get(order.outTradeNo());
        if (stored != null) {
            return stored;
        }
        registerRefundNumbers(null, order);
        orders.put(order.outTradeNo(), order);
        return order;
    }

    @Override
    public synchronized Optional<Order> find(String outTradeNo) {
        checkAvailable();
        return Optional.ofNullable(orders.get(outTradeNo));
    }

    @Override
    public synchronized Optional<Order> findByOutRefundNo(String outRefundNo) {
        checkAvailable();
        return Optional.ofNullable(refundNumbers.get(outRefundNo)).map(orders::get);
    }

    @Override
    public synchronized boolean replaceIfCurrent(Order current, Order next) {
        if (!current.outTradeNo().equals(next.outTradeNo())) {
            throw new IllegalArgumentException("a transition keeps the outTradeNo: " + current.outTradeNo()
                    + " cannot become " + next.outTradeNo());
        }
        checkAvailable();
        Order stored = orders.get(current.outTradeNo());
        if (stored != null && racesToLose > 0) {
            racesToLose--;
            stored = stored.withEvents(stored.events());
            orders.put(stored.outTradeNo(), stored);
        }
        if (stored == null || stored.version() != current.version() || stored.status() != current.status()) {
            return false;
        }
        registerRefundNumbers(current, next);
        orders.put(next.outTradeNo(), next);
        if (writesUntilOutage > 0) {
            writesUntilOutage--;
        }
        return true;
    }

    /** Registers the refund numbers {@code next} adds; one held by another order refuses the write, registering none. */
    private void registerRefundNumbers(Order current, Order next) {
        Set<String> known = new HashSet<>();
        if (current != null) {
            current.refunds().forEach(r -> known.add(r.outRefundNo()));
        }
        List<String> added = next.refunds().stream()
                .map(Refund::outRefundNo)
                .filter(known::add)
                .toList();
        for (String outRefundNo : added) {
            String holder = refundNumbers.get(outRefundNo);
            if (holder != null && !holder.equals(next.outTradeNo())) {
                throw new StateConflictException("out_refund_no " + outRefundNo + " already belongs to another order");
            }
        }
        added.forEach(n -> refundNumbers.put(n, next.outTradeNo()));
    }

    @Override
    public synchronized List<Order> findByStatus(
            Set<OrderStatus> statuses, Instant updatedAtOrBefore, String afterOutTradeNo, int limit) {
        checkAvailable();
        return pageByOutTradeNo(
                afterOutTradeNo,
                o -> statuses.contains(o.status()) && !o.updatedAt().isAfter(updatedAtOrBefore),
                limit);
    }

    @Override
    public synchronized List<Order> listOrders(OrderFilter filter, OrderPosition after, int limit) {
        checkAvailable();
        return orders.values().stream()
                .filter(o -> filter.matches(o) && (after == null || after.compareTo(OrderPosition.of(o)) < 0))
                .sorted(Comparator.comparing(OrderPosition::of))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<Order> findPaidBetween(
            Instant paidFrom, Instant paidBefore, String afterOutTradeNo, int limit) {
        checkAvailable();
        return pageByOutTradeNo(
                afterOutTradeNo,
                o -> o.status().holdsPayment()
                        && o.paidAt() != null
                        && !o.paidAt().isBefore(paidFrom)
                        && o.paidAt().isBefore(paidBefore),
                limit);
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
    public synchronized void saveProducts(Collection<Product> newProducts) {
        checkAvailable();
        newProducts.forEach(p -> products.put(p.id(), p));
    }

    @Override
    public synchronized void replaceCatalogue(Collection<Product> catalogue) {
        checkAvailable();
        Set<String> listed = new HashSet<>();
        catalogue.forEach(p -> listed.add(p.id()));
        products.replaceAll(
                (id, p) -> listed.contains(id) ? p : new Product(p.id(), p.name(), p.price(), false, p.subMchid()));
        saveProducts(catalogue);
    }

    @Override
    public synchronized Optional<Product> findProduct(String productId) {
        checkAvailable();
        return Optional.ofNullable(products.get(productId));
    }

    @Override
    public void close() {}

    /** Up to {@code limit} matching orders in outTradeNo order, after {@code afterOutTradeNo} (null: from the first). */
    private List<Order> pageByOutTradeNo(String afterOutTradeNo, Predicate<Order> matches, int limit) {
        Map<String, Order> tail = afterOutTradeNo == null ? orders : orders.tailMap(afterOutTradeNo, false);
        return tail.values().stream().filter(matches).limit(limit).toList();
    }

    private void checkAvailable() {
        if (writesUntilOutage == 0) {
            throw new StoreUnavailableException("test store is down", null);
        }
    }
}
