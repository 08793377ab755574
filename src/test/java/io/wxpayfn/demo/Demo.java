package io.wxpayfn.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

/**
 * scripts/demo: one purchase, payment and refund through the running functions, as a mini-program and a user
 * would make them, printing the order's timeline. Arguments: functions URL, simulator URL.
 */
public final class Demo {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Instant START = Instant.now();

    private Demo() {}

    public static void main(String[] args) throws Exception {
        String functions = args[0];
        String simulator = args[1];

        String code = post(simulator + "/sim/login", Map.of("user", "demo-alice"), null)
                .path("code")
                .asText();
        step("wx.login in the simulator gave a one-time code");
        JsonNode session = data(post(functions + "/login", Map.of("code", code), null));
        String token = session.path("token").asText();
        step("login: session for openid " + session.path("openid").asText() + ", expires "
                + session.path("expiresAt").asText());

        JsonNode placed = data(post(
                functions + "/unifiedOrder",
                Map.of("idempotencyKey", "demo-" + START.toEpochMilli(), "items", new Object[] {
                    Map.of("productId", "coffee-latte", "quantity", 2),
                    Map.of("productId", "cake-cheese", "quantity", 1)
                }),
                token));
        String outTradeNo = placed.path("order").path("outTradeNo").asText();
        String prepayId = placed.path("payment").path("package").asText().substring("prepay_id=".length());
        showOrder("unifiedOrder", placed.path("order"));
        step("wx.requestPayment parameters: " + placed.path("payment"));

        post(simulator + "/sim/pay", Map.of("prepay_id", prepayId), null);
        step("the user paid in the simulator's cashier (" + simulator + "/sim/cashier?prepay_id=" + prepayId + ")");
        JsonNode paid = await(
                functions + "/queryOrder",
                Map.of("outTradeNo", outTradeNo),
                token,
                order -> "PAID".equals(order.path("status").asText()));
        showOrder("payment-callback applied TRANSACTION.SUCCESS; queryOrder", paid);

        JsonNode refund =
                data(post(functions + "/refund", Map.of("outTradeNo", outTradeNo, "reason", "demo refund"), token));
        String outRefundNo = refund.path("refund").path("outRefundNo").asText();
        showOrder("refund " + outRefundNo + " applied for", refund.path("order"));
        JsonNode refunded = await(
                functions + "/queryRefund",
                Map.of("outRefundNo", outRefundNo),
                token,
                r -> "SUCCESS".equals(r.path("refund").path("status").asText()));
        showOrder("refund-callback applied REFUND.SUCCESS; queryRefund", refunded.path("order"));
        step("done: the store and the simulator agree -> "
                + get(simulator + "/sim/transactions/" + outTradeNo)
                        .path("trade_state")
                        .asText() + " at WeChat Pay");
    }

    private static void showOrder(String event, JsonNode order) {
        step(String.format(
                "%-58s order %s  %-18s payStatus=%s  total=%s fen  refunded=%s fen",
                event,
                order.path("outTradeNo").asText(),
                order.path("status").asText(),
                order.path("payStatus").asText(),
                order.path("total").asText(),
                order.path("refundedTotal").asText()));
    }

    private static void step(String text) {
        System.out.printf(
                "+%5d ms  %s%n", Duration.between(START, Instant.now()).toMillis(), text);
    }

    private static JsonNode await(String url, Object body, String token, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        while (true) {
            JsonNode answer = data(post(url, body, token));
            if (done.test(answer) || Instant.now().isAfter(deadline)) {
                return answer;
            }
            Thread.sleep(100);
        }
    }

    private static JsonNode data(JsonNode envelope) {
        if (envelope.path("errcode").asInt(-1) != 0) {
            throw new IllegalStateException("function refused: " + envelope);
        }
        return envelope.path("data");
    }

    private static JsonNode post(String url, Object body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return JSON.readTree(
                HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private static JsonNode get(String url) throws Exception {
        return JSON.readTree(
                HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                        .body());
    }
}
