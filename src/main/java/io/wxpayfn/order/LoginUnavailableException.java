package io.wxpayfn.order;

/** Thrown when WeChat's login service (jscode2session) fails, is busy or times out; the code was not refused. */
public class LoginUnavailableException extends PaymentException {

    public LoginUnavailableException(String message, Throwable cause) {
        super(Kind.LOGIN_UNAVAILABLE, message, cause);
    }
}
