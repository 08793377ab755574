package io.wxpayfn.store;

import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderItem;
import io.wxpayfn.order.OrderStore;
import java.time.Instant;
import java.util.List;

/**
 * Child process of {@link SqliteHardKillTest}: writes transitions to one order as fast as it can and prints
 * "ACK &lt;version&gt;" after each acknowledged write, until it is killed (or after a bounded number of writes).
 */
public final class SqliteKillTarget {

    public static void main(String[] args) {
        try (OrderStore store = OrderStores.open("sqlite:" + args[0])) {
            Instant now = Instant.now();
            Order current = store.createIfAbsent(Order.unpaid(
                    "KILL1",
                    "wx1",
                    "1900000109",
                    "openid",
                    "idem",
                    "kill",
                    List.of(new OrderItem("p1", "p", 100, 1)),
                    now.plusSeconds(3600),
                    now));
            for (int i = 0; i < 100_000; i++) {
                Order next = current.withPrepay("prepay-" + i, Instant.now()).orElseThrow();
                if (!store.replaceIfCurrent(current, next)) {
                    throw new IllegalStateException("lost a transition with no other writer");
                }
                System.out.println("ACK " + next.version());
                System.out.flush();
                current = next;
            }
        }
    }
}
