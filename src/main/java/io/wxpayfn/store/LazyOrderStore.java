package io.wxpayfn.store;

import io.wxpayfn.order.EventQueue;
import io.wxpayfn.order.EventQueuePosition;
import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderFilter;
import io.wxpayfn.order.OrderPosition;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.order.Product;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The store as the functions hold it: nothing is opened when it is made (a function that never touches the
 * store, and every cold start, pays nothing for it). The first call opens the adapter and, when the deployment
 * carries a catalogue file, makes it the store's catalogue; a failure of either is that call's
 * {@link io.wxpayfn.order.StoreUnavailableException} (50302, or a 500 that WeChat Pay retries) and the next call
 * tries again. Opening and seeding therefore never run inside CDI bean creation.
 */
public final class LazyOrderStore implements OrderStore {

    private static final Logger LOG = Logger.getLogger(LazyOrderStore.class);

    private final Supplier<OrderStore> opener;
    private final List<Product> catalogue;
    private final String catalogueSource;
    private volatile OrderStore opened;
    private boolean closed;

    /**
     * @param opener          opens the adapter (e.g. {@code () -> OrderStores.open(uri)})
     * @param catalogue       the catalogue file's products, made the whole catalogue at opening; null: leave the
     *                        store's catalogue as it is (functions that do not price orders)
     * @param catalogueSource where the catalogue came from, for the log line
     */
    public LazyOrderStore(Supplier<OrderStore> opener, List<Product> catalogue, String catalogueSource) {
        this.opener = opener;
        this.catalogue = catalogue;
        this.catalogueSource = catalogueSource;
    }

    private OrderStore store() {
        OrderStore store = opened;
        if (store != null) {
            return store;
        }
        synchronized (this) {
            if (opened == null) {
                if (closed) {
                    throw new IllegalStateException("the store is closed");
                }
                OrderStore fresh = opener.get();
                if (catalogue != null) {
                    try {
                        fresh.replaceCatalogue(catalogue);
                    } catch (RuntimeException e) {
                        fresh.close();
                        throw e;
                    }
                    LOG.infof(
                            "catalogue: %d products from %s; products it does not list are deactivated",
                            catalogue.size(), catalogueSource);
                }
                opened = fresh;
            }
            return opened;
        }
    }

    @Override
    public Order createIfAbsent(Order order) {
        return store().createIfAbsent(order);
    }

    @Override
    public Optional<Order> find(String outTradeNo) {
        return store().find(outTradeNo);
    }

    @Override
    public Optional<Order> findByOutRefundNo(String outRefundNo) {
        return store().findByOutRefundNo(outRefundNo);
    }

    @Override
    public boolean replaceIfCurrent(Order current, Order next) {
        return store().replaceIfCurrent(current, next);
    }

    @Override
    public List<Order> findByStatus(
            Set<OrderStatus> statuses, Instant updatedAtOrBefore, String afterOutTradeNo, int limit) {
        return store().findByStatus(statuses, updatedAtOrBefore, afterOutTradeNo, limit);
    }

    @Override
    public List<Order> listOrders(OrderFilter filter, OrderPosition after, int limit) {
        return store().listOrders(filter, after, limit);
    }

    @Override
    public List<Order> findPaidBetween(Instant paidFrom, Instant paidBefore, String afterOutTradeNo, int limit) {
        return store().findPaidBetween(paidFrom, paidBefore, afterOutTradeNo, limit);
    }

    @Override
    public List<Order> findEventQueues(EventQueue queue, Instant atOrBefore, EventQueuePosition after, int limit) {
        return store().findEventQueues(queue, atOrBefore, after, limit);
    }

    @Override
    public void saveProducts(Collection<Product> products) {
        store().saveProducts(products);
    }

    @Override
    public void replaceCatalogue(Collection<Product> products) {
        store().replaceCatalogue(products);
    }

    @Override
    public Optional<Product> findProduct(String productId) {
        return store().findProduct(productId);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (opened != null) {
            opened.close();
        }
    }
}
