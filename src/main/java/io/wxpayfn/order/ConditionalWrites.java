package io.wxpayfn.order;

import java.util.Optional;
import java.util.function.Function;

/** The one read-compute-write loop every change of an order goes through (transitions and the outbox alike). */
final class ConditionalWrites {

    private static final int ATTEMPTS = 16;

    private ConditionalWrites() {}

    /**
     * Applies {@code change} to {@code known} and writes the result conditionally; after a lost race it reads the
     * order again and recomputes. Only for changes that throw nothing a stale copy could cause wrongly: the
     * conditional write catches the staleness itself. Returns what is stored afterwards (unchanged when the change
     * was empty).
     */
    static Order update(OrderStore store, Order known, Function<Order, Optional<Order>> change) {
        Order current = known;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Order> next = change.apply(current);
            if (next.isEmpty()) {
                return current;
            }
            if (store.replaceIfCurrent(current, next.get())) {
                return next.get();
            }
            current = store.find(known.outTradeNo())
                    .orElseThrow(() -> new NotFoundException("no order " + known.outTradeNo()));
        }
        throw new WriteContentionException(
                "order " + known.outTradeNo() + " kept changing during " + ATTEMPTS + " attempts to update it");
    }
}
