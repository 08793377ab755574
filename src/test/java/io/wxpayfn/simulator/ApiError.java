package io.wxpayfn.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A refusal in WeChat Pay's shape: HTTP status plus {@code {"code","message","detail"}}. */
final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    ApiError(int status, String code, String message) {
        this(status, code, message, null);
    }

    ApiError(int status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    static ApiError param(String field, String message) {
        return new ApiError(400, "PARAM_ERROR", message, field);
    }

    static ApiError invalidRequest(String message) {
        return new ApiError(400, "INVALID_REQUEST", message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String json() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("code", code);
        body.put("message", getMessage());
        if (field != null) {
            ObjectNode detail = body.putObject("detail");
            detail.put("field", field);
            detail.put("issue", getMessage());
            detail.put("location", "body");
        }
        return body.toString();
    }
}
