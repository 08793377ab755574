package io.wxpayfn.function;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The one answer shape of every function: errcode 0 with data, or a documented errcode with a message. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(int errcode, String errmsg, Object data) {

    public static Envelope ok(Object data) {
        return new Envelope(ErrorCode.OK.errcode(), "ok", data);
    }

    public static Envelope error(ErrorCode code, String message) {
        return new Envelope(code.errcode(), message, null);
    }
}
