package io.wxpayfn.order;

/** Thrown when WeChat Pay refuses a request with a 4xx business code (e.g. ORDERPAID, NOT_ENOUGH). */
public class WeChatPayRejectedException extends PaymentException {

    private final String wechatCode;

    public WeChatPayRejectedException(String wechatCode, String message) {
        super(Kind.WECHATPAY_REJECTED, "WeChat Pay refused: " + wechatCode + " " + message);
        this.wechatCode = wechatCode;
    }

    public String wechatCode() {
        return wechatCode;
    }
}
