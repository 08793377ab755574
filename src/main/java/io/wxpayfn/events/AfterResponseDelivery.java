package io.wxpayfn.events;

import io.vertx.ext.web.RoutingContext;
import io.wxpayfn.order.OrderEventDispatcher;
import io.wxpayfn.order.OrderEventListener;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Delivers an order's due events on a worker once the answer to the request that recorded them has ended, so WeChat
 * Pay's callback (or any caller) is never kept waiting for the shop's service. Outside a request it delivers at
 * once, on the worker. A full queue or a failure here loses nothing: the events wait in the store for the sweeper.
 */
public final class AfterResponseDelivery implements OrderEventListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AfterResponseDelivery.class);
    private static final String DUE_IN_THIS_REQUEST = AfterResponseDelivery.class.getName();
    private static final int WORKERS = 2;
    private static final int QUEUE = 1_000;

    private final OrderEventDispatcher dispatcher;
    private final Supplier<RoutingContext> currentRequest;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor worker;

    /** @param currentRequest the request being handled on this thread, or null outside one */
    public AfterResponseDelivery(OrderEventDispatcher dispatcher, Supplier<RoutingContext> currentRequest) {
        this.dispatcher = dispatcher;
        this.currentRequest = currentRequest;
        this.worker = new ThreadPoolExecutor(
                WORKERS, WORKERS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), task -> {
                    Thread thread = new Thread(task, "order-events");
                    thread.setDaemon(true);
                    return thread;
                });
        worker.allowCoreThreadTimeOut(true);
    }

    @Override
    public void eventsDue(String outTradeNo) {
        RoutingContext request = currentRequest.get();
        if (request == null || request.response().ended()) {
            submit(outTradeNo);
            return;
        }
        Set<String> due = request.get(DUE_IN_THIS_REQUEST);
        if (due == null) {
            Set<String> pending = ConcurrentHashMap.newKeySet();
            request.put(DUE_IN_THIS_REQUEST, pending);
            request.addEndHandler(ended -> pending.forEach(this::submit));
            due = pending;
        }
        due.add(outTradeNo);
    }

    private void submit(String outTradeNo) {
        if (!queued.add(outTradeNo)) {
            return;
        }
        try {
            worker.execute(() -> {
                queued.remove(outTradeNo);
                deliver(outTradeNo);
            });
        } catch (RejectedExecutionException full) {
            queued.remove(outTradeNo);
            LOG.debugf("delivery queue full; the sweeper delivers the events of order %s", outTradeNo);
        }
    }

    private void deliver(String outTradeNo) {
        try {
            dispatcher.deliver(outTradeNo);
        } catch (RuntimeException e) {
            LOG.warnf(
                    "events of order %s left for the sweeper: %s",
                    outTradeNo, String.valueOf(e.getMessage()).replaceAll("\\R", " "));
        }
    }

    /** Lets attempts in flight finish (each is bounded by the attempt timeout), then stops. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
