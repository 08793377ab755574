package io.wxpayfn.order;

/** Told when a write left an order with an event due, so it can be delivered without waiting for the sweeper. */
@FunctionalInterface
public interface OrderEventListener {

    /** Does nothing: events wait for the sweeper. */
    OrderEventListener NONE = outTradeNo -> {};

    /** Called after the write; must not block (delivery happens elsewhere, e.g. after the caller was answered). */
    void eventsDue(String outTradeNo);
}
