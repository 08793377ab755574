package io.wxpayfn.function;

import io.quarkus.funqy.Funq;
import io.wxpayfn.order.OrderService;
import io.wxpayfn.order.RefundResult;
import io.wxpayfn.order.WeChatPayRules;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code refund} and {@code queryRefund}: owners within the refund policy, operators up to what remains. */
public class RefundFunctions {

    @Inject
    OrderService orders;

    @Inject
    Callers callers;

    /** The input of refund: the whole remainder unless {@code amount} (fen) says less. */
    public record RefundInput(String outTradeNo, Long amount, String reason, String outRefundNo) {

        public RefundInput {
            OrderFunctions.requiredOutTradeNo(outTradeNo);
            InputFields.positive("amount", amount, "a positive whole number of fen");
            InputFields.maxLength("reason", reason, WeChatPayRules.REFUND_REASON_MAX_LENGTH);
            InputFields.form("outRefundNo", outRefundNo, WeChatPayRules.OUT_REFUND_NO, "an existing refund's number");
        }
    }

    /** The input of queryRefund. */
    public record RefundNumberInput(String outRefundNo) {

        public RefundNumberInput {
            InputFields.required(
                    "outRefundNo",
                    InputFields.form(
                            "outRefundNo",
                            outRefundNo,
                            WeChatPayRules.OUT_REFUND_NO,
                            WeChatPayRules.OUT_REFUND_NO_FORM));
        }
    }

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
