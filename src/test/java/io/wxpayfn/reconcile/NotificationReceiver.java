package io.wxpayfn.reconcile;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.wechat.NotificationVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The merchant's notify_urls in a test: verifies each notification as it arrived, applies it through OrderService,
 * answers 200 when applied and 500 on any failure (so WeChat Pay retries), and records the failures.
 */
final class NotificationReceiver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile NotificationVerifier verifier;
    private volatile OrderService service;

    /** Listens at once; notifications fail (500) until {@link #deliverTo} names who verifies and applies them. */
    NotificationReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext(
                "/pay",
                exchange -> answer(exchange, body -> {
                    var n = verifier.verifyPayment(body, exchange.getRequestHeaders()::getFirst);
                    service.applyPaymentNotification(n.id(), n.payload());
                }));
        server.createContext(
                "/refund",
                exchange -> answer(exchange, body -> {
                    var n = verifier.verifyRefund(body, exchange.getRequestHeaders()::getFirst);
                    service.applyRefundNotification(n.id(), n.payload());
                }));
        server.start();
    }

    void deliverTo(NotificationVerifier newVerifier, OrderService newService) {
        verifier = newVerifier;
        service = newService;
    }

    String paymentUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/pay";
    }

    String refundUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/refund";
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    private void answer(HttpExchange exchange, BodyHandler handler) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            int status;
            try {
                handler.handle(in.readAllBytes());
                status = 200;
            } catch (RuntimeException e) {
                failures.add(exchange.getRequestURI().getPath() + ": " + e);
                status = 500;
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @FunctionalInterface
    private interface BodyHandler {
        void handle(byte[] body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
