package io.wxpayfn.function;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wxpayfn.config.FunctionSpecs;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Holds each request body to the limit of its route, so a flood of large bodies costs a few KiB per request instead of
 * Quarkus' 10 MiB default (eight concurrent 10 MiB bodies exhausted a 180 MB heap). A Content-Length over the route's
 * limit is refused before any of the body is read. A body without one (chunked) is read by Quarkus' own body handler,
 * which cuts it off at quarkus.http.limits.max-body-size (the largest route limit, 64 KiB), and is then refused if it
 * is over its route's limit. Each refusal fails the request with 413, which {@link RequestRefusals} answers.
 *
 * <p>The body is left to Quarkus to read because its handler resumes the request after this one: reading it here
 * first breaks HTTP/2, where resuming a request already read throws.
 *
 * <p>Each function's limit is declared beside it in functions/functions.json ({@code bodyLimitKiB}), several times
 * the largest body a legitimate caller sends: refusing a genuine request costs more than a few KiB of memory.
 */
@Singleton
public class BodyLimits {

    /** Around Quarkus' body handler, which runs at Integer.MIN_VALUE + 1 (RouteConstants.ROUTE_ORDER_BODY_HANDLER). */
    static final int BEFORE_THE_BODY_IS_READ = Integer.MIN_VALUE;

    static final int AFTER_THE_BODY_IS_READ = Integer.MIN_VALUE + 2;

    /** Each function's limit by its path ({@code /login}), read once from functions.json. */
    private final Map<String, Integer> byPath;
    /** A path that is no function (answered 404) is given the smallest limit: nothing legitimate is sent there. */
    private final int smallest;

    @Inject
    BodyLimits(FunctionSpecs functions) {
        this.byPath = functions.functions().values().stream()
                .collect(Collectors.toUnmodifiableMap(spec -> "/" + spec.name(), FunctionSpecs.Spec::bodyLimitBytes));
        this.smallest = Collections.min(byPath.values());
    }

    /** The limit of the function answering at {@code path} ({@code /login}), in bytes. */
    int limitFor(String path) {
        return byPath.getOrDefault(path, smallest);
    }

    void register(@Observes Router router) {
        router.route().order(BEFORE_THE_BODY_IS_READ).handler(this::refuseDeclaredOversize);
        router.route().order(AFTER_THE_BODY_IS_READ).handler(this::refuseReadOversize);
    }

    private void refuseDeclaredOversize(RoutingContext context) {
        if (declaresMoreThan(
                context.request().getHeader(HttpHeaders.CONTENT_LENGTH), limitFor(context.normalizedPath()))) {
            context.fail(413);
        } else {
            context.next();
        }
    }

    private void refuseReadOversize(RoutingContext context) {
        if (context.body().length() > limitFor(context.normalizedPath())) {
            context.fail(413);
        } else {
            context.next();
        }
    }

    /** Netty has already refused a Content-Length that is not a number; an absent one declares nothing. */
    private static boolean declaresMoreThan(String contentLength, int limit) {
        try {
            return contentLength != null && Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
