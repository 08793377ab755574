package io.wxpayfn.function;

/**
 * Thrown by a callback that did not handle a notification, so it is answered 500 and WeChat Pay retries. The reason
 * was already logged under the error id in the message, so it carries no stack trace.
 */
public class CallbackNotHandledException extends RuntimeException {

    private final ErrorCode code;

    public CallbackNotHandledException(ErrorCode code, String errorId) {
        super("notification not handled, error id " + errorId, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
