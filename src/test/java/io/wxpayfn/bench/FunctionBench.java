package io.wxpayfn.bench;

import io.wxpayfn.order.Order;
import io.wxpayfn.order.OrderItem;
import io.wxpayfn.order.OrderStatus;
import io.wxpayfn.order.OrderStore;
import io.wxpayfn.simulator.MerchantCredentials;
import io.wxpayfn.simulator.NotificationFault;
import io.wxpayfn.simulator.SignedNotification;
import io.wxpayfn.simulator.SimulatorOptions;
import io.wxpayfn.simulator.WeChatPaySimulator;
import io.wxpayfn.store.SqliteOrderStore;
import io.wxpayfn.store.StoreBench;
import io.wxpayfn.wechat.TestSettings;
import io.wxpayfn.wechat.WeChatPayClients;
import io.wxpayfn.wechat.WeChatPayGateway;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Warm latency of unifiedOrder and payment-callback through the packaged app over HTTP, each beside the
 * simulator's own round trip measured in the same run, then payment-callback throughput on SQLite with an
 * exactly-once check against the store. Run by {@code scripts/bench}; figures go to standard output.
 */
public final class FunctionBench {

    private static final int ORDERS = Integer.getInteger("bench.orders", 500);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 200);
    private static final int THROUGHPUT_ORDERS = Integer.getInteger("bench.callbackOrders", 3000);
    private static final int THREADS = Integer.getInteger("bench.threads", 8);
    private static final int USERS = 8;
    private static final long TIME_LIMIT_SECONDS = Long.getLong("bench.maxSeconds", 300);
    private static final Path DIR = Path.of("target/bench");
    private static final OrderItem LATTE = new OrderItem("coffee-latte", "拿铁咖啡", 2800, 1);

    private FunctionBench() {}

    public static void main(String[] args) throws Exception {
        startWatchdog();
        Files.createDirectories(DIR);
        Path db = DIR.resolve("orders.db");
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(db + suffix));
        }
        int status = 0;
        try (WeChatPaySimulator sim = WeChatPaySimulator.start(SimulatorOptions.defaults())) {
            // Every notification is stored but not sent: the bench posts genuine signed copies itself.
            sim.faults().onEveryNotification(null, NotificationFault.drop());
            new FunctionBench().run(sim, db);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status); // no client or pool thread may hold the JVM (and the script) open
    }

    private void run(WeChatPaySimulator sim, Path db) throws Exception {
        MerchantCredentials m = sim.merchant();
        int port = AppProcess.freePort();
        String notifyUrl = "http://127.0.0.1:" + port + "/payment-callback";
        String refundNotifyUrl = "http://127.0.0.1:" + port + "/refund-callback";
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        WeChatPayGateway direct = new WeChatPayGateway(WeChatPayClients.create(TestSettings.oneKeyMode(
                m.mchid(),
                m.merchantSerialNumber(),
                m.merchantPrivateKeyPem(),
                m.apiV3Key(),
                m.platformPublicKeyPem(),
                m.platformPublicKeyId(),
                notifyUrl,
                refundNotifyUrl,
                sim.baseUrl())));

        Map<String, String> env = new LinkedHashMap<>(sim.functionEnvironment("http://127.0.0.1:" + port));
        env.put("ORDER_STORE_URI", "sqlite:" + db);
        env.put("CATALOGUE_PATH", "scripts/catalogue.sample.json");
        env.put("SESSION_SECRET", randomHex(32));
        env.put("OPERATOR_API_KEY", randomHex(16));
        env.put("RECONCILE_API_KEY", randomHex(16));

        List<Row> rows = new ArrayList<>();
        Map<String, String> appliedNotification = new LinkedHashMap<>();
        String throughputLine;
        long started = System.nanoTime();
        try (AppProcess app = AppProcess.start(port, env, DIR.resolve("app.log"), DIR.resolve("app.pid"))) {
            app.awaitReady(http, Duration.ofSeconds(90));
            System.out.printf(
                    "app: java -jar target/quarkus-app/quarkus-run.jar on :%d answered after %.1f s "
                            + "(store sqlite:%s); simulator in this JVM at %s%n",
                    port, (System.nanoTime() - started) / 1e9, db, sim.baseUrl());
            Functions functions = new Functions(http, app.baseUrl());
            List<String> users = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                users.add("bench-user-" + u);
                tokens.add(functions.login(sim.loginCode(users.get(u))));
            }

            // 1. unifiedOrder through the function, interleaved with the same prepay made directly.
            int total = WARMUP + ORDERS;
            Latencies viaFunction = new Latencies(ORDERS);
            Latencies directPrepay = new Latencies(ORDERS);
            List<String[]> placed = new ArrayList<>();
            Duration appCpuBefore = app.cpuTime();
            for (int i = 0; i < total; i++) {
                String token = tokens.get(i % USERS);
                long t0 = System.nanoTime();
                placed.add(functions.unifiedOrder(token, "bench-" + UUID.randomUUID()));
                long t1 = System.nanoTime();
                Order order = directOrder(m, sim.openidOf(users.get(i % USERS)));
                long t2 = System.nanoTime();
                direct.prepay(order);
                long t3 = System.nanoTime();
                if (i >= WARMUP) {
                    viaFunction.record(t1 - t0);
                    directPrepay.record(t3 - t2);
                }
            }
            double orderCpuMillis = (app.cpuTime().minus(appCpuBefore).toNanos() / 1e6) / total;
            rows.add(new Row("unifiedOrder via the function (HTTP)", viaFunction));
            rows.add(new Row("prepayWithRequestPayment direct (SDK->sim)", directPrepay));
            rows.add(Row.difference(
                    "  function overhead (difference)", viaFunction, directPrepay, "target p99 <= 5 ms"));

            // 2. payment-callback: first delivery, then the duplicate WeChat Pay retries send (same id and body).
            for (String[] order : placed) {
                sim.pay(order[1]);
            }
            List<SignedNotification> firsts = sign(sim, placed, 1);
            Latencies firstDelivery = new Latencies(ORDERS);
            for (int i = 0; i < total; i++) {
                long t0 = System.nanoTime();
                functions.paymentCallback(firsts.get(i));
                long t1 = System.nanoTime();
                if (i >= WARMUP) {
                    firstDelivery.record(t1 - t0);
                }
                appliedNotification.put(placed.get(i)[0], firsts.get(i).id());
            }
            List<SignedNotification> duplicates = sign(sim, placed, 1);
            Latencies duplicate = new Latencies(ORDERS);
            for (int i = 0; i < total; i++) {
                long t0 = System.nanoTime();
                functions.paymentCallback(duplicates.get(i));
                long t1 = System.nanoTime();
                if (i >= WARMUP) {
                    duplicate.record(t1 - t0);
                }
            }
            Latencies directQuery = new Latencies(ORDERS);
            for (int i = 0; i < total; i++) {
                Order placedOrder = Order.unpaid(
                        placed.get(i)[0], m.appid(), m.mchid(), null, null, null, List.of(), null, Instant.now());
                long t0 = System.nanoTime();
                direct.queryPayment(placedOrder).orElseThrow();
                long t1 = System.nanoTime();
                if (i >= WARMUP) {
                    directQuery.record(t1 - t0);
                }
            }
            rows.add(new Row("payment-callback, first delivery", firstDelivery));
            rows.add(new Row("payment-callback, duplicate (applied)", duplicate));
            rows.add(new Row("queryOrderByOutTradeNo direct (SDK->sim)", directQuery));

            // 3. many distinct orders' notifications posted concurrently.
            long p0 = System.nanoTime();
            List<String[]> batch = parallel(
                    THROUGHPUT_ORDERS,
                    i -> functions.unifiedOrder(tokens.get(i % USERS), "bench-" + UUID.randomUUID()));
            double placeSeconds = (System.nanoTime() - p0) / 1e9;
            for (String[] order : batch) {
                sim.pay(order[1]);
            }
            List<SignedNotification> notifications = sign(sim, batch, THREADS);
            AtomicInteger acknowledged = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Duration appCpu0 = app.cpuTime();
            Duration benchCpu0 = ownCpuTime();
            long c0 = System.nanoTime();
            parallel(notifications.size(), i -> {
                try {
                    functions.paymentCallback(notifications.get(i));
                    acknowledged.incrementAndGet();
                } catch (RuntimeException e) {
                    failures.add(batch.get(i)[0] + ": " + e.getMessage());
                }
                return null;
            });
            double callbackSeconds = (System.nanoTime() - c0) / 1e9;
            double appCpuSeconds = app.cpuTime().minus(appCpu0).toNanos() / 1e9;
            double benchCpuSeconds = ownCpuTime().minus(benchCpu0).toNanos() / 1e9;
            for (int i = 0; i < batch.size(); i++) {
                appliedNotification.put(batch.get(i)[0], notifications.get(i).id());
            }
            throughputLine = String.format(
                    "payment-callback throughput, %d threads, %d distinct orders: %.0f applied/s "
                            + "(%d acknowledged in %.2f s, %d failed)%n"
                            + "  CPU during it: app %.2f s (%.2f ms per callback), bench client %.2f s, of %.2f s available "
                            + "(%d cores x wall time)%n"
                            + "  (setup, not a target: %d unifiedOrders by %d threads took %.1f s = %.0f/s; app CPU per "
                            + "sequential unifiedOrder: %.2f ms)",
                    THREADS,
                    batch.size(),
                    acknowledged.get() / callbackSeconds,
                    acknowledged.get(),
                    callbackSeconds,
                    failures.size(),
                    appCpuSeconds,
                    appCpuSeconds * 1000 / batch.size(),
                    benchCpuSeconds,
                    callbackSeconds * Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors(),
                    batch.size(),
                    THREADS,
                    placeSeconds,
                    batch.size() / placeSeconds,
                    orderCpuMillis);
            failures.stream().limit(5).forEach(f -> System.out.println("  failed: " + f));
            // The floor of the callback: the store's own conditional writes on this machine, right after, same JVM
            // flags as the bench, 8 threads each on its own order (fsync per commit, as in the app).
            Path storeFile = Files.createTempFile(DIR, "store-floor-", ".db");
            double storeRate;
            try (OrderStore store = new SqliteOrderStore(storeFile)) {
                storeRate = StoreBench.measure(store, THREADS, false, "floor");
            }
            double callbackRate = acknowledged.get() / callbackSeconds;
            throughputLine += String.format(
                    "%n  the store's own conditional writes in the same run (SqliteOrderStore, "
                            + "%d threads, synchronous=FULL): %.0f/s; payment-callback = %.0f %% of it (target >= 50 %%)",
                    THREADS, storeRate, 100 * callbackRate / storeRate);
        }

        System.out.printf(
                "%n%-50s %10s %10s%n",
                "warm latency, 1 client, " + ORDERS + " calls after " + WARMUP + " warm-up", "p50 ms", "p99 ms");
        rows.forEach(row -> System.out.println(row.format()));
        System.out.println();
        System.out.println(throughputLine);
        System.out.println(exactlyOnce(sim, db, appliedNotification));
    }

    /** Reads every order back from the SQLite file (the app has stopped) and checks each payment landed once. */
    private static String exactlyOnce(WeChatPaySimulator sim, Path db, Map<String, String> appliedNotification) {
        int good = 0;
        List<String> bad = new ArrayList<>();
        try (SqliteOrderStore store = new SqliteOrderStore(db)) {
            for (Map.Entry<String, String> expected : appliedNotification.entrySet()) {
                Optional<Order> order = store.find(expected.getKey());
                String transactionId =
                        sim.transaction(expected.getKey()).orElseThrow().transactionId();
                if (order.isPresent()
                        && order.get().status() == OrderStatus.PAID
                        && transactionId.equals(order.get().transactionId())
                        && order.get().appliedNotificationIds().equals(List.of(expected.getValue()))) {
                    good++;
                } else {
                    bad.add(expected.getKey() + " -> "
                            + order.map(o -> o.status() + " " + o.transactionId() + " " + o.appliedNotificationIds())
                                    .orElse("missing"));
                }
            }
        }
        String verdict = String.format(
                "exactly once: %d of %d paid orders are PAID in the store with the simulator's "
                        + "transaction_id and exactly one applied notification id%s",
                good,
                appliedNotification.size(),
                bad.isEmpty() ? " (all)" : "; NOT: " + bad.subList(0, Math.min(5, bad.size())));
        if (!bad.isEmpty()) {
            System.out.println(verdict);
            System.exit(1);
        }
        return verdict;
    }

    /** A freshly signed copy of each order's stored payment notification (same id and body as the first). */
    private static List<SignedNotification> sign(WeChatPaySimulator sim, List<String[]> orders, int threads)
            throws Exception {
        if (threads == 1) {
            return orders.stream()
                    .map(order -> sim.signedNotification(order[0]))
                    .toList();
        }
        return parallel(orders.size(), i -> sim.signedNotification(orders.get(i)[0]));
    }

    /** Runs {@code work} for 0..count-1 on THREADS threads, answering results in index order. */
    private static <T> List<T> parallel(int count, IntFunction<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            AtomicInteger next = new AtomicInteger();
            List<T> results = new ArrayList<>(java.util.Collections.nCopies(count, null));
            List<Future<Void>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Callable<Void> worker = () -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        T result = work.apply(i);
                        synchronized (results) {
                            results.set(i, result);
                        }
                    }
                    return null;
                };
                workers.add(pool.submit(worker));
            }
            for (Future<Void> worker : workers) {
                worker.get();
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The order the app would place for one latte, under a fresh out_trade_no in the app's format. */
    private static Order directOrder(MerchantCredentials m, String openid) {
        Instant now = Instant.now();
        return Order.unpaid(
                "WX" + randomHex(14),
                m.appid(),
                m.mchid(),
                openid,
                "direct-" + UUID.randomUUID(),
                LATTE.name(),
                List.of(LATTE),
                now.plus(Duration.ofMinutes(30)),
                now);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static Duration ownCpuTime() {
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this platform does not report a process's CPU time"));
    }

    /** Bounds the whole run; exiting runs the shutdown hook that stops the app. */
    private static void startWatchdog() {
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(TIME_LIMIT_SECONDS * 1000);
                        System.out.println("bench: time limit of " + TIME_LIMIT_SECONDS + " s reached, stopping");
                        System.exit(2);
                    } catch (InterruptedException ignored) {
                        // the JVM is ending
                    }
                },
                "bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** One line of the latency table. */
    private record Row(String label, double p50, double p99, String note) {

        Row(String label, Latencies latencies) {
            this(label, latencies.millis(50), latencies.millis(99), "");
        }

        static Row difference(String label, Latencies measured, Latencies baseline, String target) {
            return new Row(
                    label,
                    measured.millis(50) - baseline.millis(50),
                    measured.millis(99) - baseline.millis(99),
                    target);
        }

        String format() {
            return String.format("%-50s %10.2f %10.2f   %s", label, p50, p99, note)
                    .stripTrailing();
        }
    }
}
