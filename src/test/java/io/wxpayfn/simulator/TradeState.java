package io.wxpayfn.simulator;

/** {@code trade_state} values of a JSAPI transaction, with WeChat's descriptions. */
public enum TradeState {
    NOTPAY("订单未支付"),
    SUCCESS("支付成功"),
    REFUND("转入退款"),
    CLOSED("订单已关闭"),
    PAYERROR("支付失败"),
    USERPAYING("用户支付中"),
    REVOKED("已撤销");

    private final String description;

    TradeState(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** States in which a user may still complete the payment. */
    boolean payable() {
        return this == NOTPAY || this == USERPAYING || this == PAYERROR;
    }

    /** States reached only through a successful payment. */
    boolean paid() {
        return this == SUCCESS || this == REFUND;
    }
}
