package io.wxpayfn.function;

import io.quarkus.funqy.Funq;
import io.wxpayfn.order.Caller;
import io.wxpayfn.order.LineRequest;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.PaymentRequest;
import io.wxpayfn.order.PlacedOrder;
import io.wxpayfn.order.Product;
import io.wxpayfn.order.WeChatPayRules;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code unifiedOrder}, {@code queryOrder}, {@code closeOrder}: the mini-program's side of paying. */
public class OrderFunctions {

    @Inject
    OrderService orders;

    @Inject
    Callers callers;

    /** One line of an order: the product and how many; the price comes from the catalogue, never from here. */
    public record ItemInput(String productId, Integer quantity) {

        public ItemInput {
            InputFields.required(
                    "productId", InputFields.form("productId", productId, Product.ID, "a catalogue product id"));
            InputFields.required("quantity", quantity);
        }
    }

    /** The input of unifiedOrder; the same key and items again answer the same order. */
    public record PlaceOrderInput(String idempotencyKey, List<ItemInput> items) {

        private static final Pattern KEY = Pattern.compile("[0-9A-Za-z_\\-]{8,64}");

        public PlaceOrderInput {
            InputFields.required(
                    "idempotencyKey",
                    InputFields.form("idempotencyKey", idempotencyKey, KEY, "8 to 64 letters, digits, _ or -"));
            InputFields.required("items", items);
            for (int i = 0; i < items.size(); i++) {
                InputFields.required("items[" + i + "]", items.get(i));
            }
        }
    }

    /** The input of queryOrder and closeOrder. */
    public record OrderNumberInput(String outTradeNo) {

        public OrderNumberInput {
            requiredOutTradeNo(outTradeNo);
        }
    }

    /** The required {@code outTradeNo} of an input, in WeChat Pay's out_trade_no form. */
    static String requiredOutTradeNo(String outTradeNo) {
        return InputFields.required(
                "outTradeNo",
                InputFields.form(
                        "outTradeNo", outTradeNo, WeChatPayRules.OUT_TRADE_NO, WeChatPayRules.OUT_TRADE_NO_FORM));
    }

    @Funq("unifiedOrder")
    public Envelope unifiedOrder(PlaceOrderInput input) {
        return Responses.respond(() -> {
            Caller user = callers.user();
            List<LineRequest> lines = input.items().stream()
                    .map(item -> new LineRequest(item.productId(), item.quantity()))
                    .toList();
            PlacedOrder placed = orders.placeOrder(user.appid(), user.openid(), lines, input.idempotencyKey());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("order", OrderView.of(placed.order()));
            data.put("payment", placed.payment() == null ? null : requestPaymentParams(placed.payment()));
            return data;
        });
    }

    @Funq("queryOrder")
    public Envelope queryOrder(OrderNumberInput input) {
        return Responses.respond(() -> OrderView.of(orders.getOrder(callers.userOrOperator(), input.outTradeNo())));
    }

    @Funq("closeOrder")
    public Envelope closeOrder(OrderNumberInput input) {
        return Responses.respond(() -> OrderView.of(orders.closeOrder(callers.userOrOperator(), input.outTradeNo())));
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
