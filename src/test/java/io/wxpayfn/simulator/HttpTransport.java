package io.wxpayfn.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * HTTP plumbing on Vert.x core (already on the classpath through Quarkus). Not the JDK HttpServer:
 * that one rewrites response header names to "Wechatpay-timestamp", and the SDK looks headers up
 * case-sensitively, exactly as WeChat Pay spells them. Handlers run on a small pool of our own
 * threads, because they may block (simulated hangs).
 */
final class HttpTransport implements AutoCloseable {

    private static final int HANDLER_THREADS = 16;

    private final Map<String, Router> routersByPrefix = new LinkedHashMap<>();
    private final Vertx vertx =
            Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final ExecutorService handlers =
            Executors.newFixedThreadPool(HANDLER_THREADS, NotificationDispatcher.daemon("wxsim-http"));
    private final Map<Endpoint, HttpServer> servers = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, Integer> ports = new EnumMap<>(Endpoint.class);

    HttpTransport route(String pathPrefix, Router router) {
        routersByPrefix.put(pathPrefix, router);
        return this;
    }

    /** Binds 127.0.0.1 for the endpoint and answers the bound port once the server accepts connections. */
    synchronized int start(Endpoint endpoint, int port) {
        HttpServer server = await(
                vertx.createHttpServer()
                        .requestHandler(request -> accept(endpoint, request))
                        .listen(port, "127.0.0.1"),
                "listen on 127.0.0.1:" + port);
        servers.put(endpoint, server);
        ports.put(endpoint, server.actualPort());
        return server.actualPort();
    }

    /** Stops listening on the endpoint: connections to it are refused, as to an unreachable domain. */
    synchronized void stop(Endpoint endpoint) {
        HttpServer server = servers.remove(endpoint);
        if (server != null) {
            await(server.close(), "close " + endpoint);
        }
    }

    /** Listens again on the endpoint's port. */
    synchronized void restart(Endpoint endpoint) {
        if (!servers.containsKey(endpoint)) {
            start(endpoint, ports.get(endpoint));
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot " + what, e);
        }
    }

    private void accept(Endpoint endpoint, HttpServerRequest request) {
        request.body()
                .onSuccess(body -> handlers.execute(() -> {
                    SimResponse response = routerFor(request.path())
                            .map(router -> router.handle(
                                    toSimRequest(endpoint, request, body.toString(StandardCharsets.UTF_8))))
                            .orElseGet(() -> SimResponse.json(
                                    404, new ApiError(404, "NOT_FOUND", "请求的资源不存在: " + request.path()).json()));
                    write(request.response(), response);
                }));
    }

    private java.util.Optional<Router> routerFor(String path) {
        return routersByPrefix.entrySet().stream()
                .filter(e -> path.startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    private static SimRequest toSimRequest(Endpoint endpoint, HttpServerRequest request, String body) {
        URI uri = URI.create(request.uri());
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.headers().forEach(header -> headers.putIfAbsent(header.getKey(), header.getValue()));
        return new SimRequest(
                endpoint,
                request.method().name(),
                uri.getPath(),
                request.uri(),
                Router.parseQuery(uri.getRawQuery()),
                headers,
                body,
                List.of());
    }

    private static void write(HttpServerResponse out, SimResponse response) {
        if (response == null) {
            out.reset(); // a simulated hang ended by close(): drop the connection, answer nothing
            return;
        }
        out.setStatusCode(response.status());
        out.putHeader("Request-ID", UUID.randomUUID().toString());
        if (response.contentType() != null) {
            out.putHeader("Content-Type", response.contentType());
        }
        response.headers().forEach(out::putHeader);
        out.end(io.vertx.core.buffer.Buffer.buffer(response.body()));
    }

    @Override
    public void close() {
        handlers.shutdownNow();
        vertx.close();
    }
}
