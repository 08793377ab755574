package io.wxpayfn.shop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local demo shop (scripts/run-local and ShopBrowserTest; test code, never deployed). It serves the shop page
 * and forwards the page's calls to the functions ({@code /fn/<name>}) and to the simulator's user side
 * ({@code /sim/login}, {@code /sim/cashier}), so the page, the functions and the cashier share one origin: the
 * browser sends no cross-origin request and the functions need no CORS.
 */
public final class ShopServer implements AutoCloseable {

    /** What a mini-program may call; callbacks and operator functions are not forwarded. */
    static final Set<String> USER_FUNCTIONS =
            Set.of("login", "unifiedOrder", "queryOrder", "closeOrder", "refund", "queryRefund", "listOrders");

    private static final Set<String> SIMULATOR_PATHS = Set.of("/sim/login", "/sim/cashier");
    private static final List<String> FORWARDED_HEADERS = List.of("Content-Type", "Authorization", "Accept");
    private static final Map<String, String> PAGE_FILES =
            Map.of("/shop/", "index.html", "/shop/shop.js", "shop.js", "/shop/shop.css", "shop.css");
    private static final Logger LOG = Logger.getLogger(ShopServer.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI functions;
    private final URI simulator;
    private final Path catalogue;
    private final Path clientModule;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "shop-http");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private ShopServer(int port, URI functions, URI simulator, Path catalogue, Path miniprogram) throws IOException {
        this.functions = functions;
        this.simulator = simulator;
        this.catalogue = catalogue;
        this.clientModule = miniprogram.resolve("utils/wxpay.js");
        if (!Files.isRegularFile(catalogue) || !Files.isRegularFile(clientModule)) {
            throw new IllegalArgumentException("shop needs " + catalogue + " and " + clientModule);
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * @param functions the functions' base URL, {@code http://127.0.0.1:8080}
     * @param simulator the simulator's base URL
     * @param catalogue the functions' CATALOGUE_PATH file, shown as the product list
     * @param miniprogram the {@code miniprogram/} folder; the page runs its {@code utils/wxpay.js}
     */
    public static ShopServer start(int port, URI functions, URI simulator, Path catalogue, Path miniprogram) {
        try {
            return new ShopServer(port, functions, simulator, catalogue, miniprogram);
        } catch (IOException e) {
            throw new UncheckedIOException("shop cannot listen on 127.0.0.1:" + port, e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/shop/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/") || path.equals("/shop")) {
                exchange.getResponseHeaders().set("Location", "/shop/");
                exchange.sendResponseHeaders(302, -1);
            } else if (method.equals("GET") && PAGE_FILES.containsKey(path)) {
                send(exchange, 200, contentType(path), resource(PAGE_FILES.get(path)));
            } else if (method.equals("GET") && path.equals("/shop/wxpay.js")) {
                send(exchange, 200, "text/javascript; charset=utf-8", Files.readAllBytes(clientModule));
            } else if (method.equals("GET") && path.equals("/shop/catalogue.json")) {
                send(exchange, 200, "application/json; charset=utf-8", activeProducts());
            } else if (method.equals("POST")
                    && path.startsWith("/fn/")
                    && USER_FUNCTIONS.contains(path.substring("/fn/".length()))) {
                forward(exchange, under(functions, path.substring("/fn".length())));
            } else if (SIMULATOR_PATHS.contains(path)) {
                String query = exchange.getRequestURI().getRawQuery();
                forward(exchange, under(simulator, path + (query == null ? "" : "?" + query)));
            } else {
                send(exchange, 404, "text/plain; charset=utf-8", "not found".getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "shop request failed", e);
        }
    }

    /** The request as it came (method, body, the headers a page sends), the answer as it came (no redirects). */
    private void forward(HttpExchange exchange, URI target) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(30))
                .method(
                        exchange.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : FORWARDED_HEADERS) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            send(
                    exchange,
                    502,
                    "text/plain; charset=utf-8",
                    ("cannot reach " + target.getHost() + ":" + target.getPort()).getBytes(StandardCharsets.UTF_8));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        answer.headers()
                .firstValue("Location")
                .ifPresent(v -> exchange.getResponseHeaders().set("Location", v));
        send(
                exchange,
                answer.statusCode(),
                answer.headers().firstValue("Content-Type").orElse(null),
                answer.body());
    }

    private static URI under(URI base, String pathAndQuery) {
        return URI.create(base.toString().replaceAll("/+$", "") + pathAndQuery);
    }

    private byte[] activeProducts() throws IOException {
        ArrayNode products = JSON.createArrayNode();
        for (JsonNode product : JSON.readTree(catalogue.toFile())) {
            if (product.path("active").asBoolean(true)) {
                products.addObject()
                        .put("id", product.path("id").asText())
                        .put("name", product.path("name").asText())
                        .put("price", product.path("price").asLong());
            }
        }
        return JSON.writeValueAsBytes(products);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ShopServer.class.getResourceAsStream("/shop/" + name)) {
            if (in == null) {
                throw new IOException("missing resource /shop/" + name);
            }
            return in.readAllBytes();
        }
    }

    private static String contentType(String path) {
        if (path.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return path.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /**
     * {@code --port 8070 --functions http://127.0.0.1:8080 --simulator http://127.0.0.1:8090
     * [--catalogue scripts/catalogue.sample.json] [--miniprogram miniprogram]}; runs until killed.
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            flags.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        for (String required : List.of("port", "functions", "simulator")) {
            if (!flags.containsKey(required)) {
                System.err.println("usage: ShopServer --port N --functions URL --simulator URL"
                        + " [--catalogue FILE] [--miniprogram DIR]; missing --" + required);
                System.exit(2);
            }
        }
        ShopServer shop = start(
                Integer.parseInt(flags.get("port")),
                URI.create(flags.get("functions")),
                URI.create(flags.get("simulator")),
                Path.of(flags.getOrDefault("catalogue", "scripts/catalogue.sample.json")),
                Path.of(flags.getOrDefault("miniprogram", "miniprogram")));
        Runtime.getRuntime().addShutdownHook(new Thread(shop::close));
        System.out.println("demo shop: " + shop.url());
        Thread.currentThread().join();
    }
}
