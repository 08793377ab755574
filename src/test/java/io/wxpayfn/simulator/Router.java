package io.wxpayfn.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal method + path-pattern dispatch, with WeChat-style error bodies. */
final class Router {

    interface Handler {
        SimResponse handle(SimRequest request) throws Exception;
    }

    private record Route(String method, Pattern path, Handler handler) {}

    private static final Logger LOG = Logger.getLogger(Router.class.getName());

    private final List<Route> routes = new ArrayList<>();
    private final UnaryOperator<Handler> wrapper;

    /** @param wrapper applied around every route (authentication, faults, response signing) */
    Router(UnaryOperator<Handler> wrapper) {
        this.wrapper = wrapper;
    }

    Router add(String method, String pathRegex, Handler handler) {
        routes.add(new Route(method, Pattern.compile(pathRegex), wrapper.apply(handler)));
        return this;
    }

    /** Answers the request, turning refusals and crashes into WeChat-style error bodies. */
    SimResponse handle(SimRequest request) {
        try {
            return dispatch(request);
        } catch (ApiError e) {
            return SimResponse.json(e.status(), e.json());
        } catch (Exception e) {
            LOG.log(Level.WARNING, "simulator handler failed", e);
            ApiError failure = WeChatCodes.systemError();
            return SimResponse.json(failure.status(), failure.json());
        }
    }

    private SimResponse dispatch(SimRequest request) throws Exception {
        boolean pathKnown = false;
        for (Route route : routes) {
            Matcher matcher = route.path.matcher(request.path());
            if (!matcher.matches()) {
                continue;
            }
            pathKnown = true;
            if (route.method.equals(request.method())) {
                List<String> params = new ArrayList<>();
                for (int i = 1; i <= matcher.groupCount(); i++) {
                    params.add(URLDecoder.decode(matcher.group(i), StandardCharsets.UTF_8));
                }
                return route.handler.handle(request.withPathParams(params));
            }
        }
        throw pathKnown
                ? new ApiError(405, "METHOD_NOT_ALLOWED", "不支持的请求方法")
                : new ApiError(404, "NOT_FOUND", "请求的资源不存在: " + request.path());
    }

    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            query.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }
}
