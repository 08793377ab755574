package io.wxpayfn.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The shop's own service in the tests: a JDK HttpServer on a free port that records every delivery (headers, exact
 * body, the status it answered, and its clock's time of arrival) and answers as the test says: a status, or not at
 * all until released (a receiver that hangs).
 */
public final class EventReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One delivery as it arrived; {@code receivedAt} in epoch seconds of the receiver's clock. */
    public record Received(Map<String, String> headers, byte[] body, int status, long receivedAt) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String eventId() {
            return json().get("id").asText();
        }

        public String outTradeNo() {
            return json().get("outTradeNo").asText();
        }

        public boolean acknowledged() {
            return status / 100 == 2;
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<Received> received = new ArrayList<>();
    private int arrivals;
    private volatile int status = 200;
    private volatile CountDownLatch held;
    private volatile LongSupplier clock = () -> System.currentTimeMillis() / 1000;

    private EventReceiver(HttpServer server) {
        this.server = server;
    }

    public static EventReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            EventReceiver receiver = new EventReceiver(server);
            server.createContext("/", receiver::handle);
            server.setExecutor(receiver.handlers);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/shop/order-events";
    }

    /** From now on every delivery is answered {@code code}. */
    public void answer(int code) {
        status = code;
    }

    /** From now on deliveries are held unanswered until {@link #release()}. */
    public synchronized void hold() {
        held = new CountDownLatch(1);
    }

    public synchronized void release() {
        if (held != null) {
            held.countDown();
            held = null;
        }
    }

    /** The clock arrivals are stamped with (the functions' clock, when a test moves it). */
    public void clock(LongSupplier epochSeconds) {
        clock = epochSeconds;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(Predicate<Received> filter) {
        return received().stream().filter(filter).toList();
    }

    public synchronized void clear() {
        received.clear();
    }

    /** Blocks until {@code count} deliveries have arrived, answered or still held. */
    public synchronized void awaitArrivals(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (arrivals < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " arrivals within " + timeout + ", got " + arrivals);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Blocks until {@code count} deliveries match, or fails listing what did arrive. */
    public List<Received> await(Predicate<Received> filter, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                List<Received> matching = received.stream().filter(filter).toList();
                long left = deadline - System.nanoTime();
                if (matching.size() >= count || left <= 0) {
                    if (matching.size() < count) {
                        throw new AssertionError("expected " + count + " deliveries within " + timeout + ", got "
                                + matching.size() + " of "
                                + received.stream()
                                        .map(r -> r.status() + " " + new String(r.body()))
                                        .toList());
                    }
                    return matching;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders()
                    .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            synchronized (this) {
                arrivals++;
                notifyAll();
            }
            CountDownLatch hold = held;
            if (hold != null) {
                try {
                    hold.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int answer = status;
            synchronized (this) {
                received.add(new Received(headers, body, answer, clock.getAsLong()));
                notifyAll();
            }
            exchange.sendResponseHeaders(answer, -1);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        handlers.shutdownNow();
    }
}
