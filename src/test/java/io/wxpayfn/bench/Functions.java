package io.wxpayfn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wxpayfn.simulator.SignedNotification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The functions over HTTP as a mini-program and WeChat Pay call them; every answer is checked, never assumed. */
final class Functions {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final String baseUrl;

    Functions(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    /** The session token for a wx.login code. */
    String login(String code) {
        return data(post("login", null, Map.of("code", code))).get("token").asText();
    }

    /** Places one order of one latte; answers {outTradeNo, prepayId}. */
    String[] unifiedOrder(String token, String idempotencyKey) {
        JsonNode data =
                data(post("unifiedOrder", token, Map.of("idempotencyKey", idempotencyKey, "items", new Object[] {
                    Map.of("productId", "coffee-latte", "quantity", 1)
                })));
        String packageValue = data.get("payment").get("package").asText();
        return new String[] {data.get("order").get("outTradeNo").asText(), packageValue.substring("prepay_id=".length())
        };
    }

    /** Posts a notification as WeChat Pay does; fails unless it is acknowledged (200, errcode 0). */
    void paymentCallback(SignedNotification notification) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/payment-callback"))
                .timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(notification.body()));
        notification.headers().forEach(request::header);
        JsonNode answer = send(request.build(), "payment-callback");
        if (answer.get("errcode").asInt() != 0) {
            throw new IllegalStateException("payment-callback answered " + answer);
        }
    }

    private JsonNode post(String function, String token, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/" + function))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            request.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(request.build(), function);
    }

    private JsonNode send(HttpRequest request, String function) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        function + " answered HTTP " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(function + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode data(JsonNode answer) {
        if (answer.get("errcode").asInt() != 0) {
            throw new IllegalStateException("function answered " + answer);
        }
        return answer.get("data");
    }
}
