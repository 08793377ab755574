package io.wxpayfn.simulator;

import com.sun.net.httpserver.HttpServer;
import com.wechat.pay.java.core.notification.RequestParam;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A merchant's notify_url for tests: records what arrives and answers what the test decides. */
final class NotifyReceiver implements AutoCloseable {

    /** One notification exactly as it arrived. */
    record Received(Map<String, String> headers, String body) {
        RequestParam requestParam() {
            return new RequestParam.Builder()
                    .serialNumber(headers.get("wechatpay-serial"))
                    .nonce(headers.get("wechatpay-nonce"))
                    .signature(headers.get("wechatpay-signature"))
                    .timestamp(headers.get("wechatpay-timestamp"))
                    .signType(headers.get("wechatpay-signature-type"))
                    .body(body)
                    .build();
        }

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private volatile Function<Received, Integer> answer = r -> 200;

    NotifyReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/notify", exchange -> {
            try (exchange;
                    InputStream in = exchange.getRequestBody()) {
                Map<String, String> headers = new java.util.HashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
                Received r = new Received(headers, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                synchronized (this) {
                    received.add(r);
                    notifyAll();
                }
                exchange.sendResponseHeaders(answer.apply(r), -1);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/notify";
    }

    /** Decides the HTTP status of each answer (default 200). */
    void answerWith(Function<Received, Integer> answer) {
        this.answer = answer;
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits for at least {@code count} notifications, polling with a deadline. */
    synchronized List<Received> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " notifications, got " + received.size());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
