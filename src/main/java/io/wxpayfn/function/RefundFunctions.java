package io.wxpayfn.function;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.funqy.Funq;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.RefundResult;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code refund} and {@code queryRefund}: owners within the refund policy, operators up to what remains. */
public class RefundFunctions {

    @Inject
    OrderService orders;

    @Inject
    Callers callers;

    @Funq("refund")
    public Envelope refund(JsonNode input) {
        return Responses.respond(() -> {
            RequestBody body = RequestBody.of(input);
            String outTradeNo = body.outTradeNo();
            Long amount = body.optionalAmount("amount").orElse(null);
            String reason = body.optionalFreeText("reason", 80).orElse(null);
            String outRefundNo = body.optionalText(
                            "outRefundNo", RequestBody.OUT_REFUND_NO, "an existing refund's number")
                    .orElse(null);
            return view(orders.refund(callers.userOrOperator(), outTradeNo, amount, reason, outRefundNo));
        });
    }

    @Funq("queryRefund")
    public Envelope queryRefund(JsonNode input) {
        return Responses.respond(() -> {
            String outRefundNo = RequestBody.of(input)
                    .requiredText("outRefundNo", RequestBody.OUT_REFUND_NO, "1 to 64 characters of 0-9A-Za-z_-|*@");
            return view(orders.getRefund(callers.userOrOperator(), outRefundNo));
        });
    }

    private static Map<String, Object> view(RefundResult result) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("refund", OrderView.RefundView.of(result.refund()));
        data.put("order", OrderView.of(result.order()));
        return data;
    }
}
