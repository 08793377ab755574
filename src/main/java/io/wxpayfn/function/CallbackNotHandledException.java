package io.wxpayfn.function;

/** Thrown by a callback so Funqy answers 500 and WeChat Pay retries; carries no stack trace (the cause was logged). */
public class CallbackNotHandledException extends RuntimeException {

    public CallbackNotHandledException(String message) {
        super(message, null, false, false);
    }
}
