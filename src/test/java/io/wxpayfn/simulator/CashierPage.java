package io.wxpayfn.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The simulated user's side of a payment: the cashier page a person pays at (GET/POST {@code /sim/cashier}), and
 * {@code POST /sim/requestPayment}, what {@code wx.requestPayment} does with the parameters unifiedOrder returned
 * (checks the paySign like WeChat, then pays). Both can drop the payment's notification, to show a merchant that
 * repairs it with queryOrder.
 */
final class CashierPage {

    private static final String MERCHANT_NAME = "模拟商户";
    private static final String PAY = "pay";
    private static final String PAY_DROPPING_NOTIFICATION = "pay-drop";
    private static final String CANCEL = "cancel";
    /** A path on the page's own origin: no scheme, no host, no protocol-relative "//". */
    private static final Pattern LOCAL_RETURN = Pattern.compile("/(?![/\\\\])[\\x21-\\x7e]{0,500}");

    private static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);

    private final WeChatPaySimulator simulator;

    CashierPage(WeChatPaySimulator simulator) {
        this.simulator = simulator;
    }

    /** {@code GET /sim/cashier?prepay_id=…[&return=/path]}: the order, its state in words, and what can be done. */
    SimResponse show(SimRequest request) {
        Map<String, String> query = request.query();
        return page(200, query.get("prepay_id"), returnPath(query.get("return")), null);
    }

    /**
     * {@code POST /sim/cashier} (form {@code prepay_id, action=pay|pay-drop|cancel, return}): pays and shows the
     * result, or on cancel goes back to {@code return} with {@code result=cancel}, as wx.requestPayment fails with
     * "requestPayment:fail cancel".
     */
    SimResponse act(SimRequest request) {
        Map<String, String> form = Router.parseQuery(request.body());
        String prepayId = form.get("prepay_id");
        String back = returnPath(form.get("return"));
        Optional<SimTransaction> order = byPrepayId(prepayId);
        if (order.isEmpty()) {
            return page(404, prepayId, back, null);
        }
        String action = form.getOrDefault("action", "");
        if (CANCEL.equals(action)) {
            return back == null
                    ? page(200, prepayId, null, "已取消支付，订单仍未支付。")
                    : redirect(withResult(back, "cancel", order.get().outTradeNo()));
        }
        if (!PAY.equals(action) && !PAY_DROPPING_NOTIFICATION.equals(action)) {
            return page(400, prepayId, back, "未知的操作：" + action);
        }
        try {
            pay(order.get(), PAY_DROPPING_NOTIFICATION.equals(action));
        } catch (IllegalStateException | IllegalArgumentException e) {
            return page(409, prepayId, back, "支付未完成：" + refusalInWords(order.get()));
        }
        return redirect("/sim/cashier?prepay_id=" + encode(prepayId) + (back == null ? "" : "&return=" + encode(back)));
    }

    /**
     * {@code POST /sim/requestPayment} with wx.requestPayment's parameters ({@code appId, timeStamp, nonceStr,
     * package, signType, paySign}, optionally {@code "drop_notification": true}): 401 SIGN_ERROR unless paySign is
     * the merchant's signature over {@code appId\ntimeStamp\nnonceStr\npackage\n}; 409 NOT_PAYABLE when paid,
     * closed or expired; else pays.
     */
    SimResponse requestPayment(SimRequest request) {
        JsonNode params = SimControlApi.json(request);
        String appId = params.path("appId").asText("");
        String timeStamp = params.path("timeStamp").asText("");
        String nonceStr = params.path("nonceStr").asText("");
        String pkg = params.path("package").asText("");
        if (!simulator.options().appid().equals(appId)) {
            throw ApiError.param("appId", "appId 与商户号绑定的小程序不符");
        }
        if (!"RSA".equals(params.path("signType").asText())) {
            throw ApiError.param("signType", "signType 只能是 RSA");
        }
        if (!pkg.startsWith("prepay_id=")) {
            throw ApiError.param("package", "package 应为 prepay_id=…");
        }
        String message = appId + "\n" + timeStamp + "\n" + nonceStr + "\n" + pkg + "\n";
        if (!SimCrypto.verify(
                simulator.merchant().merchantPublicKey(),
                message,
                params.path("paySign").asText(""))) {
            throw new ApiError(401, "SIGN_ERROR", "paySign 验证失败");
        }
        SimTransaction order = byPrepayId(pkg.substring("prepay_id=".length()))
                .orElseThrow(() -> ApiError.param("package", "prepay_id 不存在"));
        PaymentResult result;
        try {
            result = pay(order, params.path("drop_notification").asBoolean(false));
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new ApiError(409, "NOT_PAYABLE", refusalInWords(order));
        }
        ObjectNode answer = WireFormat.JSON.createObjectNode();
        answer.put("out_trade_no", result.outTradeNo());
        answer.put("transaction_id", result.transactionId());
        answer.put("success_time", WireFormat.time(result.successTime()));
        return SimResponse.json(200, answer.toString());
    }

    private PaymentResult pay(SimTransaction order, boolean dropNotification) {
        if (dropNotification) {
            // Armed only for an order that can be paid now, so an unused drop never hits a later refund notification.
            if (!payableNow(order)) {
                throw new IllegalStateException("not payable");
            }
            simulator.faults().onNextNotification(order.outTradeNo(), NotificationFault.drop());
        }
        return simulator.pay(order.prepayId());
    }

    private Optional<SimTransaction> byPrepayId(String prepayId) {
        return prepayId == null
                ? Optional.empty()
                : simulator.transactions().stream()
                        .filter(t -> prepayId.equals(t.prepayId()))
                        .findFirst();
    }

    private static boolean payableNow(SimTransaction order) {
        return order.state().payable() && !order.expiredAt(OffsetDateTime.now());
    }

    /** The order's state as a person reads it. */
    private static String stateInWords(SimTransaction order) {
        if (order.state().payable() && order.expiredAt(OffsetDateTime.now())) {
            return "订单已过期，无法支付";
        }
        return switch (order.state()) {
            case NOTPAY -> "待支付";
            case USERPAYING -> "用户支付中";
            case PAYERROR -> "上次支付失败，可重新支付";
            case SUCCESS -> "支付成功";
            case REFUND -> "已支付，已转入退款";
            case CLOSED -> "订单已关闭，无法支付";
            case REVOKED -> "订单已撤销";
        };
    }

    private static String refusalInWords(SimTransaction before) {
        return before.state().paid() ? "这笔订单已经支付过了" : stateInWords(before);
    }

    /** What happened to the payment notification, from the delivery log. */
    private String notificationInWords(SimTransaction order) {
        List<Delivery> payments = simulator.deliveries().stream()
                .filter(d -> d.concerns(order.outTradeNo()) && "TRANSACTION.SUCCESS".equals(d.eventType()))
                .toList();
        if (payments.stream().anyMatch(Delivery::acknowledged)) {
            return "商户已确认收到支付通知";
        }
        if (payments.stream().anyMatch(d -> d.kind() == Delivery.Kind.DROPPED)) {
            return "支付通知已按测试要求丢弃：商户收不到回调，须用 queryOrder 查询补单";
        }
        return payments.isEmpty() ? "支付通知发送中" : "商户尚未确认支付通知，微信支付将按计划重试";
    }

    private SimResponse page(int status, String prepayId, String back, String notice) {
        Optional<SimTransaction> found = byPrepayId(prepayId);
        if (found.isEmpty()) {
            return html(
                    404,
                    "找不到订单",
                    "<section class=\"card\"><p class=\"state\" data-test=\"state\">"
                            + "找不到这笔订单（prepay_id 无效）</p></section>");
        }
        SimTransaction order = found.get();
        boolean payable = payableNow(order);
        StringBuilder body = new StringBuilder();
        body.append("<section class=\"card\">");
        if (order.state().paid()) {
            body.append("<div class=\"tick\" aria-hidden=\"true\">✓</div>");
        }
        body.append("<p class=\"merchant\" data-test=\"merchant\">")
                .append(MERCHANT_NAME)
                .append("</p>")
                .append("<p class=\"amount\" data-test=\"amount\"><span>¥</span>")
                .append(BigDecimal.valueOf(order.total(), 2).toPlainString())
                .append("</p>")
                .append("<p class=\"state ")
                .append(order.state().paid() ? "ok" : payable ? "" : "bad")
                .append("\" data-test=\"state\">")
                .append(escape(stateInWords(order)))
                .append("</p>");
        if (notice != null) {
            body.append("<p class=\"notice\" data-test=\"notice\">")
                    .append(escape(notice))
                    .append("</p>");
        }
        body.append("</section><section class=\"card rows\">")
                .append(row("商品", order.description(), "description"))
                .append(row("商户订单号", order.outTradeNo(), "out-trade-no"))
                .append(row("收款方", MERCHANT_NAME + "（商户号 " + order.mchid() + "）", "payee"));
        if (order.state().paid()) {
            body.append(row(
                            "支付时间",
                            order.successTime().atZoneSameInstant(BEIJING).format(SHOWN_TIME),
                            "paid-at"))
                    .append(row("微信支付单号", order.transactionId(), "transaction-id"))
                    .append(row("支付通知", notificationInWords(order), "notification"));
        }
        body.append("</section>");
        if (payable) {
            body.append("<form method=\"post\" action=\"/sim/cashier\" class=\"actions\">")
                    .append(hidden("prepay_id", prepayId))
                    .append(back == null ? "" : hidden("return", back))
                    .append(button(PAY, "primary", "确认支付"))
                    .append(button(PAY_DROPPING_NOTIFICATION, "test", "支付但丢弃支付通知（测试）"))
                    .append(button(CANCEL, "secondary", "取消"))
                    .append("</form>");
        } else if (back != null) {
            String result = order.state().paid() ? "paid" : "cancel";
            body.append("<div class=\"actions\"><a class=\"button primary\" data-test=\"back\" href=\"")
                    .append(escape(withResult(back, result, order.outTradeNo())))
                    .append("\">返回商户</a></div>");
        }
        return html(status, "微信支付", body.toString());
    }

    private static String row(String label, String value, String test) {
        return "<div class=\"row\"><span class=\"label\">" + label + "</span><span class=\"value\" data-test=\"" + test
                + "\">" + escape(value) + "</span></div>";
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + escape(value) + "\">";
    }

    private static String button(String action, String style, String label) {
        return "<button type=\"submit\" name=\"action\" value=\"" + action + "\" class=\"button " + style
                + "\" data-test=\"" + action + "\">" + label + "</button>";
    }

    private static String returnPath(String candidate) {
        return candidate != null && LOCAL_RETURN.matcher(candidate).matches() ? candidate : null;
    }

    private static String withResult(String back, String result, String outTradeNo) {
        return back + (back.contains("?") ? "&" : "?") + "result=" + result + "&out_trade_no=" + encode(outTradeNo);
    }

    private static SimResponse redirect(String location) {
        return SimResponse.of(303, null, new byte[0]).withHeader("Location", location);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text == null
                ? ""
                : text.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("\"", "&quot;");
    }

    private static SimResponse html(int status, String title, String content) {
        String page = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, viewport-fit=cover\">"
                + "<link rel=\"icon\" href=\"data:,\"><title>" + title + " · 模拟器</title>"
                + "<style>" + STYLE + "</style></head><body>"
                + "<header class=\"bar\">微信支付<span class=\"sim\">模拟器</span></header><main>" + content
                + "</main><footer>WeChat Pay simulator · 本页仅用于本地测试，不会产生真实扣款</footer></body></html>";
        return SimResponse.of(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    private static final String STYLE = """
      *{box-sizing:border-box}
      body{margin:0;min-height:100vh;background:#ededed;color:#111;-webkit-text-size-adjust:100%;
        font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei",
        "WenQuanYi Zen Hei","Noto Sans CJK SC",sans-serif}
      main{max-width:480px;margin:0 auto;padding:4px 12px 24px}
      .bar{text-align:center;padding:14px 0;font-size:17px;font-weight:600;background:#ededed}
      .sim{margin-left:6px;padding:1px 6px;border-radius:4px;font-size:11px;font-weight:400;color:#fff;
        background:#fa9d3b;vertical-align:2px}
      .card{background:#fff;border-radius:12px;padding:24px 20px;margin:12px 0;text-align:center}
      .tick{width:56px;height:56px;margin:0 auto 8px;border-radius:50%;background:#07c160;color:#fff;
        font-size:34px;line-height:56px}
      .merchant{margin:0;font-size:16px;color:#333}
      .amount{margin:10px 0 6px;font-size:44px;font-weight:600;letter-spacing:1px}
      .amount span{font-size:28px;margin-right:2px}
      .state{margin:0;font-size:15px;color:#576b95}
      .state.ok{color:#07c160;font-weight:600}
      .state.bad{color:#fa5151}
      .notice{margin:10px 0 0;font-size:14px;color:#fa5151}
      .rows{text-align:left;padding:8px 20px}
      .row{display:flex;justify-content:space-between;gap:16px;padding:10px 0;font-size:14px;
        border-bottom:1px solid #f0f0f0}
      .row:last-child{border-bottom:0}
      .label{color:#888;flex:none}
      .value{text-align:right;word-break:break-all}
      .actions{display:flex;flex-direction:column;gap:12px;margin-top:20px}
      .button{display:block;width:100%;height:48px;border:0;border-radius:8px;font-size:17px;line-height:48px;
        text-align:center;text-decoration:none;font-family:inherit;cursor:pointer}
      .primary{background:#07c160;color:#fff;font-weight:600}
      .secondary{background:#fff;color:#111}
      .test{background:#fff;color:#c87d2f;border:1px dashed #fa9d3b;font-size:15px}
      footer{text-align:center;color:#aaa;font-size:12px;padding:8px 12px 24px}
      """;
}
