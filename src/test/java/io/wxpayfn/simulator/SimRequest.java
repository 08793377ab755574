package io.wxpayfn.simulator;

import java.util.List;
import java.util.Map;

/**
 * One received request. {@code rawTarget} is the path and query exactly as they arrived, because
 * that is what the merchant signed. Header names are case-insensitive. {@code endpoint} is the
 * address (primary or backup domain) it arrived at.
 */
record SimRequest(
        Endpoint endpoint,
        String method,
        String path,
        String rawTarget,
        Map<String, String> query,
        Map<String, String> headers,
        String body,
        List<String> pathParams) {

    String header(String name) {
        return headers.get(name);
    }

    String pathParam(int index) {
        return pathParams.get(index);
    }

    SimRequest withPathParams(List<String> params) {
        return new SimRequest(endpoint, method, path, rawTarget, query, headers, body, params);
    }
}
