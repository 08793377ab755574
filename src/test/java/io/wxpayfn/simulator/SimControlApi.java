package io.wxpayfn.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * {@code /sim/*}: the simulated user (login, cashier, pay) and the simulator's truth, for demos and
 * scripts (curl). Unauthenticated on purpose: it stands for the user's phone, not for WeChat Pay.
 */
final class SimControlApi {

    private final WeChatPaySimulator simulator;

    SimControlApi(WeChatPaySimulator simulator) {
        this.simulator = simulator;
    }

    Router router() {
        CashierPage cashier = new CashierPage(simulator);
        return new Router(handler -> handler)
                .add("POST", "/sim/login", this::login)
                .add("GET", "/sim/cashier", cashier::show)
                .add("POST", "/sim/cashier", cashier::act)
                .add("POST", "/sim/requestPayment", cashier::requestPayment)
                .add("POST", "/sim/pay", this::pay)
                .add("GET", "/sim/transactions/([^/]+)", this::transaction)
                .add("GET", "/sim/refunds/([^/]+)", this::refund)
                .add("POST", "/sim/refunds/([^/]+)/complete", this::completeRefund)
                .add("GET", "/sim/deliveries", this::deliveries);
    }

    /** {@code {"user":"alice"}} → {@code {"code","openid"}}: what wx.login() would give that user. */
    private SimResponse login(SimRequest request) {
        String user = field(request, "user");
        ObjectNode answer = WireFormat.JSON.createObjectNode();
        answer.put("code", simulator.loginCode(user));
        answer.put("openid", simulator.openidOf(user));
        return SimResponse.json(200, answer.toString());
    }

    /**
     * Pays by {@code prepay_id} (JSON or the cashier's form), or by {@code out_trade_no} with
     * {@code "ignore_expiry": true} to reproduce a payment racing the order's expiry.
     */
    private SimResponse pay(SimRequest request) {
        boolean fromForm = !request.body().trim().startsWith("{");
        PaymentResult result;
        try {
            if (fromForm) {
                result = simulator.pay(Router.parseQuery(request.body()).get("prepay_id"));
            } else {
                JsonNode body = json(request);
                result = body.path("ignore_expiry").asBoolean(false)
                        ? simulator.payIgnoringExpiry(body.path("out_trade_no").asText())
                        : simulator.pay(body.path("prepay_id").asText());
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            return fromForm
                    ? html(409, "<p>Payment refused: " + escape(e.getMessage()) + "</p>")
                    : SimResponse.json(409, new ApiError(409, "NOT_PAYABLE", e.getMessage()).json());
        }
        if (fromForm) {
            return html(200, "<p>Paid. Transaction " + escape(result.transactionId()) + "</p>");
        }
        ObjectNode answer = WireFormat.JSON.createObjectNode();
        answer.put("out_trade_no", result.outTradeNo());
        answer.put("transaction_id", result.transactionId());
        answer.put("success_time", WireFormat.time(result.successTime()));
        return SimResponse.json(200, answer.toString());
    }

    private SimResponse transaction(SimRequest request) {
        SimTransaction t = simulator.transaction(request.pathParam(0)).orElseThrow(WeChatCodes::orderNotExist);
        ObjectNode answer = WireFormat.transaction(t);
        answer.put("prepay_id", t.prepayId());
        answer.put("description", t.description());
        answer.put("notify_url", t.notifyUrl());
        answer.put("create_time", WireFormat.time(t.createTime()));
        if (t.timeExpire() != null) {
            answer.put("time_expire", WireFormat.time(t.timeExpire()));
        }
        ArrayNode refunds = answer.putArray("refunds");
        simulator.refunds().stream()
                .filter(r -> r.outTradeNo().equals(t.outTradeNo()))
                .forEach(r -> refunds.add(WireFormat.refund(r)));
        return SimResponse.json(200, answer.toString());
    }

    private SimResponse refund(SimRequest request) {
        return SimResponse.json(
                200,
                WireFormat.refund(simulator.refund(request.pathParam(0)).orElseThrow(WeChatCodes::refundNotExist))
                        .toString());
    }

    /** {@code {"status":"ABNORMAL"}} ends a refund held PROCESSING. */
    private SimResponse completeRefund(SimRequest request) {
        RefundStatus status;
        try {
            status = RefundStatus.valueOf(field(request, "status"));
        } catch (IllegalArgumentException e) {
            throw ApiError.param("status", "status 只能是 SUCCESS、ABNORMAL 或 CLOSED");
        }
        try {
            return SimResponse.json(
                    200,
                    WireFormat.refund(simulator.completeRefund(request.pathParam(0), status))
                            .toString());
        } catch (IllegalStateException e) {
            throw new ApiError(409, "REFUND_NOT_PROCESSING", e.getMessage());
        }
    }

    private SimResponse deliveries(SimRequest request) {
        ArrayNode list = WireFormat.JSON.createArrayNode();
        for (Delivery d : simulator.deliveries()) {
            ObjectNode node = list.addObject();
            node.put("notification_id", d.notificationId());
            node.put("event_type", d.eventType());
            node.put("out_trade_no", d.outTradeNo());
            node.put("out_refund_no", d.outRefundNo());
            node.put("attempt", d.attempt());
            node.put("kind", d.kind().name());
            node.put("status", d.status());
            node.put("error", d.error());
            node.put("at", d.at().toString());
        }
        return SimResponse.json(200, list.toString());
    }

    private static String field(SimRequest request, String name) {
        String value = json(request).path(name).asText("");
        if (value.isEmpty()) {
            throw ApiError.param(name, "字段 " + name + " 为必填项");
        }
        return value;
    }

    /** The request's JSON body ({} when empty); 400 PARAM_ERROR when it is not JSON. */
    static JsonNode json(SimRequest request) {
        try {
            JsonNode node = WireFormat.JSON.readTree(request.body());
            return node == null ? WireFormat.JSON.createObjectNode() : node;
        } catch (JsonProcessingException e) {
            throw ApiError.param(null, "请求体无法解析为 JSON");
        }
    }

    private static SimResponse html(int status, String content) {
        String page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>WeChat Pay simulator</title>"
                + "</head><body>" + content + "</body></html>";
        return SimResponse.of(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
