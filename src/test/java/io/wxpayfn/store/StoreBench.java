package io.wxpayfn.store;

import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderItem;
import io.wxpayfn.order.OrderStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Conditional transitions per second for each adapter (run by scripts/bench-store): read, compute the next
 * version, replaceIfCurrent, repeat. "own" = each thread its own order; "contended" = all threads on one order,
 * where losers re-read and retry.
 */
public final class StoreBench {

    private static final long MEASURE_MILLIS = Long.getLong("bench.millis", 3_000);
    private static final String[] VARIANTS = {"1 thread", "8 threads own", "8 threads contended"};

    public static void main(String[] args) throws Exception {
        Map<String, double[]> results = new LinkedHashMap<>();
        Path dir = Files.createTempDirectory("bench-store");
        results.put("sqlite", measureAll(() -> OrderStores.open("sqlite:" + dir.resolve("bench.db"))));

        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            String uri = "postgresql://postgres:x@localhost:" + postgres.getPort() + "/postgres";
            results.put("postgresql", measureAll(() -> OrderStores.open(uri)));
        }

        try (FakeMongo mongo = new FakeMongo("bench")) {
            results.put("mongodb (fake)", measureAll(() -> OrderStores.open(mongo.uri())));
        }

        System.out.printf("%n%-22s", "transitions/s");
        results.keySet().forEach(store -> System.out.printf("%16s", store));
        System.out.println();
        for (int v = 0; v < VARIANTS.length; v++) {
            System.out.printf("%-22s", VARIANTS[v]);
            for (double[] figures : results.values()) {
                System.out.printf("%16.0f", figures[v]);
            }
            System.out.println();
        }
    }

    interface Opener {
        OrderStore open();
    }

    private static double[] measureAll(Opener opener) throws Exception {
        try (OrderStore store = opener.open()) {
            double single = measure(store, 1, false, "a");
            double own = measure(store, 8, false, "b");
            double contended = measure(store, 8, true, "c");
            return new double[] {single, own, contended};
        }
    }

    /** Conditional transitions per second that {@code threads} threads win on {@code store} (each its own order). */
    public static double measure(OrderStore store, int threads, boolean contended, String prefix) throws Exception {
        Instant now = Instant.now();
        List<String> keys = new ArrayList<>();
        for (int t = 0; t < (contended ? 1 : threads); t++) {
            String key = "BENCH-" + prefix + t;
            store.createIfAbsent(Order.unpaid(
                    key,
                    "wx1",
                    "1900000109",
                    "openid",
                    "idem",
                    "bench",
                    List.of(new OrderItem("p1", "p", 100, 1)),
                    now.plusSeconds(3600),
                    now));
            keys.add(key);
        }
        AtomicLong won = new AtomicLong();
        long deadline = System.nanoTime() + MEASURE_MILLIS * 1_000_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            String key = keys.get(contended ? 0 : t);
            int worker = t;
            workers.add(pool.submit(() -> {
                long i = 0;
                while (System.nanoTime() < deadline) {
                    Order current = store.find(key).orElseThrow();
                    Order next = current.withPrepay("prepay-" + worker + "-" + i++, Instant.now())
                            .orElseThrow();
                    if (store.replaceIfCurrent(current, next)) {
                        won.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        return won.get() / seconds;
    }
}
