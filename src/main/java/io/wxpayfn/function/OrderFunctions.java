package io.wxpayfn.function;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.funqy.Funq;
import io.wxpayfn.order.Caller;
import io.wxpayfn.order.InvalidRequestException;
import io.wxpayfn.order.LineRequest;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.PaymentRequest;
import io.wxpayfn.order.PlacedOrder;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code unifiedOrder}, {@code queryOrder}, {@code closeOrder}: the mini-program's side of paying. */
public class OrderFunctions {

    @Inject
    OrderService orders;

    @Inject
    Callers callers;

    @Funq("unifiedOrder")
    public Envelope unifiedOrder(JsonNode input) {
        return Responses.respond(() -> {
            RequestBody body = RequestBody.of(input);
            Caller user = callers.user();
            String key = body.requiredText("idempotencyKey", RequestBody.KEY, "8 to 64 letters, digits, _ or -");
            PlacedOrder placed = orders.placeOrder(
                    user.appid(), user.openid(), lines(body.node().get("items")), key);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("order", OrderView.of(placed.order()));
            data.put("payment", placed.payment() == null ? null : requestPaymentParams(placed.payment()));
            return data;
        });
    }

    @Funq("queryOrder")
    public Envelope queryOrder(JsonNode input) {
        return Responses.respond(() -> {
            String outTradeNo = RequestBody.of(input).outTradeNo();
            return OrderView.of(orders.getOrder(callers.userOrOperator(), outTradeNo));
        });
    }

    @Funq("closeOrder")
    public Envelope closeOrder(JsonNode input) {
        return Responses.respond(() -> {
            String outTradeNo = RequestBody.of(input).outTradeNo();
            return OrderView.of(orders.closeOrder(callers.userOrOperator(), outTradeNo));
        });
    }

    private static List<LineRequest> lines(JsonNode items) {
        if (items == null || items.isNull()) {
            throw new InvalidRequestException("items", "is required");
        }
        if (!items.isArray()) {
            throw new InvalidRequestException("items", "must be an array of {productId, quantity}");
        }
        List<LineRequest> lines = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String field = "items[" + i + "]";
            if (!item.isObject()) {
                throw new InvalidRequestException(field, "must be an object {productId, quantity}");
            }
            String productId = RequestBody.text(
                            item.get("productId"),
                            field + ".productId",
                            RequestBody.PRODUCT_ID,
                            "a catalogue product id")
                    .orElseThrow(() -> new InvalidRequestException(field + ".productId", "is required"));
            lines.add(new LineRequest(productId, RequestBody.integer(item.get("quantity"), field + ".quantity")));
        }
        return lines;
    }

    /** Exactly the object wx.requestPayment takes. */
    private static Map<String, String> requestPaymentParams(PaymentRequest payment) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("appId", payment.appId());
        params.put("timeStamp", payment.timeStamp());
        params.put("nonceStr", payment.nonceStr());
        params.put("package", payment.packageValue());
        params.put("signType", payment.signType());
        params.put("paySign", payment.paySign());
        return params;
    }
}
