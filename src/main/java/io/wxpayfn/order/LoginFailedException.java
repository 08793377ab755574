package io.wxpayfn.order;

/** Thrown when WeChat rejects a wx.login code (invalid, used or expired). */
public class LoginFailedException extends PaymentException {

    public LoginFailedException(String message) {
        super(Kind.LOGIN_REFUSED, message);
    }
}
