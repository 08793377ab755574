package io.wxpayfn.function;

import io.quarkus.funqy.Funq;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.RefundResult;
import io.wxpayfn.order.WeChatPayRules;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code refund} and {@code queryRefund}: owners within the refund policy, operators up to what remains. */
public class RefundFunctions {

    @Inject
    OrderService orders;

    @Inject
    Callers callers;

    /** The input of refund: the whole remainder unless {@code amount} (fen) says less. */
    public record RefundInput(
            @NotNull(message = FunctionInputs.REQUIRED)
            @Pattern(regexp = WeChatPayRules.OUT_TRADE_NO_REGEX, message = OrderFunctions.OUT_TRADE_NO_FORM)
            String outTradeNo,

            @Positive(message = "must be a positive whole number of fen")
            Long amount,

            @Size(max = WeChatPayRules.REFUND_REASON_MAX_LENGTH, message = "must be at most {max} characters")
            String reason,

            @Pattern(regexp = WeChatPayRules.OUT_REFUND_NO_REGEX, message = "must be an existing refund's number")
            String outRefundNo) {}

    /** The input of queryRefund. */
    public record RefundNumberInput(
            @NotNull(message = FunctionInputs.REQUIRED)
            @Pattern(
                    regexp = WeChatPayRules.OUT_REFUND_NO_REGEX,
                    message = "must be " + WeChatPayRules.OUT_REFUND_NO_FORM)
            String outRefundNo) {}

    @Funq("refund")
    public Envelope refund(RefundInput input) {
        return Responses.respond(() -> view(orders.refund(
                callers.userOrOperator(), input.outTradeNo(), input.amount(), input.reason(), input.outRefundNo())));
    }

    @Funq("queryRefund")
    public Envelope queryRefund(RefundNumberInput input) {
        return Responses.respond(() -> view(orders.getRefund(callers.userOrOperator(), input.outRefundNo())));
    }

    private static Map<String, Object> view(RefundResult result) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("refund", OrderView.RefundView.of(result.refund()));
        data.put("order", OrderView.of(result.order()));
        return data;
    }
}
