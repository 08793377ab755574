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
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code unifiedOrder}, {@code queryOrder}, {@code closeOrder}: the mini-program's side of paying. */
public class OrderFunctions {

    @Inject
    OrderService orders;

    @Inject
    Callers callers;

    /** One line of an order: the product and how many; the price comes from the catalogue, never from here. */
    public record ItemInput(
            @NotNull(message = FunctionInputs.REQUIRED)
            @Pattern(regexp = Product.ID_REGEX, message = "must be a catalogue product id")
            String productId,

            @NotNull(message = FunctionInputs.REQUIRED) Integer quantity) {}

    /** The input of unifiedOrder; the same key and items again answer the same order. */
    public record PlaceOrderInput(
            @NotNull(message = FunctionInputs.REQUIRED)
            @Pattern(regexp = "[0-9A-Za-z_\\-]{8,64}", message = "must be 8 to 64 letters, digits, _ or -")
            String idempotencyKey,

            @NotNull(message = FunctionInputs.REQUIRED)
            List<@NotNull(message = FunctionInputs.REQUIRED) @Valid ItemInput> items) {}

    /** The input of queryOrder and closeOrder. */
    public record OrderNumberInput(
            @NotNull(message = FunctionInputs.REQUIRED)
            @Pattern(regexp = WeChatPayRules.OUT_TRADE_NO_REGEX, message = OUT_TRADE_NO_FORM)
            String outTradeNo) {}

    static final String OUT_TRADE_NO_FORM = "must be " + WeChatPayRules.OUT_TRADE_NO_FORM;

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
