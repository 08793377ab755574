package io.wxpayfn.wechat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.wxpayfn.order.NotificationRejectedException;
import io.wxpayfn.order.VerifiedNotification;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A merchant's notify_url in a test: hands the raw body and headers to a verifier, answers 200 when it accepts
 * and 500 when it rejects (so WeChat Pay retries), and records both outcomes.
 */
final class VerifyingReceiver implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<VerifiedNotification<?>> accepted = new CopyOnWriteArrayList<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();

    VerifyingReceiver(BiFunction<byte[], Function<String, String>, VerifiedNotification<?>> verifier) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/notify", exchange -> {
            try (exchange;
                    InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                Headers headers = exchange.getRequestHeaders(); // case-insensitive
                int status;
                try {
                    accepted.add(verifier.apply(body, headers::getFirst));
                    status = 200;
                } catch (NotificationRejectedException e) {
                    rejections.add(e.getMessage());
                    status = 500;
                }
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/notify";
    }

    List<VerifiedNotification<?>> accepted() {
        return List.copyOf(accepted);
    }

    List<String> rejections() {
        return List.copyOf(rejections);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
