package io.wxpayfn.simulator;

/** Refund {@code status} values. Only PROCESSING is not final. */
public enum RefundStatus {
    PROCESSING,
    SUCCESS,
    ABNORMAL,
    CLOSED;

    String eventType() {
        return "REFUND." + name();
    }

    String summary() {
        return switch (this) {
            case SUCCESS -> "退款成功";
            case ABNORMAL -> "退款异常";
            case CLOSED -> "退款关闭";
            case PROCESSING -> "退款处理中";
        };
    }
}
