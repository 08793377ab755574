package io.wxpayfn.config;

import io.quarkus.funqy.runtime.FunctionInvoker;
import io.quarkus.funqy.runtime.FunctionRecorder;
import io.vertx.ext.web.Router;
import io.wxpayfn.function.EnvelopeAnswers;
import io.wxpayfn.function.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes one deployment answer one function: each function is deployed from the same artifact as its own
 * platform function, and funqy-http would otherwise expose every {@code @Funq} on every deployment.
 * {@code FUNCTION_ROUTE} names the route to serve; unset serves every route (local runs, tests).
 */
@ApplicationScoped
public class SingleRouteFilter {

    /** Runs before funqy-http's own route, which Quarkus registers with the default order. */
    static final int ORDER = -1_000;

    private final Optional<String> functionRoute;

    SingleRouteFilter(@ConfigProperty(name = "FUNCTION_ROUTE") Optional<String> functionRoute) {
        this.functionRoute = functionRoute.map(String::trim).filter(route -> !route.isEmpty());
    }

    void register(@Observes Router router) {
        if (functionRoute.isEmpty()) {
            return;
        }
        String route = functionRoute.get();
        Set<String> deployed = deployedFunctions();
        if (!deployed.contains(route)) {
            throw new ConfigurationException(
                    "FUNCTION_ROUTE",
                    "'" + route + "' is not a function of this artifact; expected one of " + deployed);
        }
        String allowedPath = "/" + route;
        String refusal = "this deployment serves only " + allowedPath;
        router.route().order(ORDER).handler(rc -> {
            if (allowedPath.equals(rc.normalizedPath())) {
                rc.next();
            } else {
                EnvelopeAnswers.send(rc, 404, ErrorCode.NOT_FOUND, refusal);
            }
        });
    }

    private static Set<String> deployedFunctions() {
        Set<String> names = new TreeSet<>();
        for (FunctionInvoker invoker : FunctionRecorder.registry.invokers()) {
            names.add(invoker.getName());
        }
        return names;
    }
}
