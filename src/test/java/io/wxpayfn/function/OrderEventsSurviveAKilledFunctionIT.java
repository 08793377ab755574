package io.wxpayfn.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wxpayfn.bench.AppProcess;
import io.wxpayfn.events.EventReceiver;
import io.wxpayfn.events.Snippets;
import io.wxpayfn.simulator.SimulatorOptions;
import io.wxpayfn.simulator.WeChatPaySimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged application in its own process, killed with SIGKILL after it acknowledged WeChat Pay's payment
 * notification and while its delivery of the ORDER_PAID event was in flight (the receiver holds the request). Started
 * again on the same SQLite file, its sweeper delivers the event: the transition and its event were one write, so the
 * crash lost neither; the receiver gets the same event id again (at least once) and dedupes on it.
 */
class OrderEventsSurviveAKilledFunctionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String OPERATOR_KEY = "operator-key-" + "0123456789abcdef01234567";
    private static final String RECONCILE_KEY = "reconcile-key-" + "0123456789abcdef0123456";
    private static final String SECRET = "order-events-secret-" + "0123456789abcdef0123";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void eventOfATransitionAcknowledgedJustBeforeAKillMinusNineIsDeliveredAfterTheRestart() throws Exception {
        Path work = Files.createDirectories(Path.of("target/killed-function-it"));
        Files.deleteIfExists(work.resolve("orders.db"));
        int port = AppProcess.freePort();
        try (WeChatPaySimulator simulator = WeChatPaySimulator.start(SimulatorOptions.defaults());
                EventReceiver receiver = EventReceiver.start()) {
            Map<String, String> env = environment(simulator, receiver, work, port);
            String outTradeNo;
            try (AppProcess first = AppProcess.start(
                    port,
                    List.of("-Dquarkus.http.host=127.0.0.1"),
                    env,
                    work.resolve("first.log"),
                    work.resolve("first.pid"))) {
                first.awaitReady(HTTP, Duration.ofSeconds(60));
                String token = post(first, "login", Map.of("code", simulator.loginCode("kim")), null)
                        .get("data")
                        .get("token")
                        .asText();
                JsonNode placed = post(
                                first,
                                "unifiedOrder",
                                Map.of(
                                        "idempotencyKey",
                                        "killed-order-1",
                                        "items",
                                        List.of(Map.of("productId", "coffee-latte", "quantity", 1))),
                                token)
                        .get("data");
                outTradeNo = placed.get("order").get("outTradeNo").asText();
                receiver.hold();
                simulator.pay(placed.get("payment").get("package").asText().substring("prepay_id=".length()));
                simulator.awaitAcknowledged(outTradeNo, "TRANSACTION.SUCCESS", WAIT);
                receiver.awaitArrivals(1, WAIT);
                first.kill();
            }
            receiver.release();
            receiver.await(r -> true, 1, WAIT);
            // That answer reached a dead process: the store still has the event pending.
            receiver.clear();

            try (AppProcess second = AppProcess.start(
                    port,
                    List.of("-Dquarkus.http.host=127.0.0.1"),
                    env,
                    work.resolve("second.log"),
                    work.resolve("second.pid"))) {
                second.awaitReady(HTTP, Duration.ofSeconds(60));
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (receiver.received(r -> r.acknowledged()).isEmpty() && System.nanoTime() < deadline) {
                    JsonNode swept = post(second, "deliverEvents", Map.of(), null);
                    assertEquals(0, swept.get("errcode").asInt(), swept.toString());
                    Thread.sleep(500);
                }
                List<EventReceiver.Received> delivered = receiver.received(r -> r.acknowledged());
                assertEquals(1, delivered.size(), "delivered once the crashed attempt's lease ran out");
                assertEquals("evt_" + outTradeNo + "_1", delivered.get(0).eventId());
                assertEquals("ORDER_PAID", delivered.get(0).json().get("type").asText());
                assertEquals(
                        "PAID",
                        delivered.get(0).json().get("order").get("status").asText());
                assertTrue(Snippets.javaAccepts(Snippets.Case.of(SECRET, delivered.get(0))));
                JsonNode pending = post(second, "listEvents", Map.of("state", "PENDING"), null);
                assertEquals(List.of(), JSON.convertValue(pending.get("data").get("queues"), List.class));
            }
        }
    }

    private static Map<String, String> environment(
            WeChatPaySimulator simulator, EventReceiver receiver, Path work, int port) {
        Map<String, String> env = new HashMap<>(simulator.functionEnvironment("http://127.0.0.1:" + port));
        env.put("ORDER_STORE_URI", "sqlite:" + work.resolve("orders.db").toAbsolutePath());
        env.put("SESSION_SECRET", HexFormat.of().formatHex(new byte[32]).replace('0', '5'));
        env.put("OPERATOR_API_KEY", OPERATOR_KEY);
        env.put("RECONCILE_API_KEY", RECONCILE_KEY);
        env.put(
                "CATALOGUE_PATH",
                Path.of("scripts/catalogue.sample.json").toAbsolutePath().toString());
        env.put("MERCHANT_EVENTS_URL", receiver.url());
        env.put("MERCHANT_EVENTS_SECRET", SECRET);
        // A one-second attempt: its lease, what the crash costs before the sweeper may send again, is 3 s.
        env.put("MERCHANT_EVENTS_TIMEOUT_SECONDS", "1");
        return env;
    }

    private static JsonNode post(AppProcess app, String function, Object body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/" + function))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        } else if (!function.equals("login")) {
            request.header("X-Operator-Key", function.equals("deliverEvents") ? RECONCILE_KEY : OPERATOR_KEY);
        }
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }
}
