package io.wxpayfn.order;

/** Thrown when WeChat Pay fails, throttles or times out; the same request may be retried safely. */
public class WeChatPayUnavailableException extends PaymentException {

    public WeChatPayUnavailableException(String message, Throwable cause) {
        super(Kind.WECHATPAY_UNAVAILABLE, message, cause);
    }
}
