package io.wxpayfn.simulator;

import com.sun.net.httpserver.Headers;
import java.util.List;
import java.util.Map;

/**
 * One received request. {@code rawTarget} is the path and query exactly as they arrived, because
 * that is what the merchant signed.
 */
record SimRequest(
    String method,
    String path,
    String rawTarget,
    Map<String, String> query,
    Headers headers,
    String body,
    List<String> pathParams) {

  String header(String name) {
    return headers.getFirst(name);
  }

  String pathParam(int index) {
    return pathParams.get(index);
  }

  SimRequest withPathParams(List<String> params) {
    return new SimRequest(method, path, rawTarget, query, headers, body, params);
  }
}
