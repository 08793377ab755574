package io.wxpayfn.config;

import io.quarkus.funqy.Funq;
import java.util.Map;

/** Two test-only functions, so the route filter can be proven before the real functions exist. */
public class RouteProbeFunctions {

    @Funq("route-probe")
    public Map<String, Object> routeProbe(Map<String, Object> input) {
        return Map.of("errcode", 0, "errmsg", "ok", "data", Map.of("served", "route-probe"));
    }

    @Funq("other-probe")
    public Map<String, Object> otherProbe(Map<String, Object> input) {
        return Map.of("errcode", 0, "errmsg", "ok", "data", Map.of("served", "other-probe"));
    }
}
