package io.wxpayfn.simulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response before it is written; the merchant API signs it on the way out. */
record SimResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    static final String JSON = "application/json; charset=utf-8";

    static SimResponse json(int status, String json) {
        return new SimResponse(status, JSON, json.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
    }

    static SimResponse noContent() {
        return new SimResponse(204, null, new byte[0], new LinkedHashMap<>());
    }

    static SimResponse of(int status, String contentType, byte[] body) {
        return new SimResponse(status, contentType, body, new LinkedHashMap<>());
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    SimResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new SimResponse(status, contentType, body, copy);
    }
}
