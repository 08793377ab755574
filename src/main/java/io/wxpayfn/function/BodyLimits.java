package io.wxpayfn.function;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.Map;

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
 * <p>Each limit is several times the largest body a legitimate caller sends: refusing a genuine request costs more
 * than a few KiB of memory, and unknown fields are ignored, so clients may send a little more than we read.
 */
@Singleton
public class BodyLimits {

    /**
     * login, queryOrder, closeOrder, refund, queryRefund, downloadBill, reconcile and the three event functions: the
     * largest is a refund with an 80-character reason (~0.7 KB with every character JSON-escaped), a reconcile with its
     * cursor (~0.3 KB) or a listEvents with its cursor (~0.1 KB).
     */
    static final int CALL = 4 * 1024;
    /** unifiedOrder: 20 lines of 64-character product ids with quantity 999 and a 64-character key are ~2.2 KB. */
    static final int UNIFIED_ORDER = 16 * 1024;
    /**
     * WeChat Pay's notifications: ~1-2 KB of envelope and encrypted resource, a few KB more with promotion details.
     * A refused genuine notification is retried and then repaired by a query, but never silently dropped.
     */
    static final int NOTIFICATION = 64 * 1024;
    /** A function not named below (one added later) gets unifiedOrder's limit until it is given its own. */
    static final int OTHER = UNIFIED_ORDER;

    static final Map<String, Integer> BY_FUNCTION = Map.ofEntries(
            Map.entry("login", CALL), Map.entry("unifiedOrder", UNIFIED_ORDER), Map.entry("queryOrder", CALL),
            Map.entry("closeOrder", CALL), Map.entry("refund", CALL), Map.entry("queryRefund", CALL),
            Map.entry("downloadBill", CALL), Map.entry("reconcile", CALL),
            Map.entry("deliverEvents", CALL), Map.entry("listEvents", CALL), Map.entry("redeliverEvents", CALL),
            Map.entry("payment-callback", NOTIFICATION), Map.entry("refund-callback", NOTIFICATION));

    /** Around Quarkus' body handler, which runs at Integer.MIN_VALUE + 1 (RouteConstants.ROUTE_ORDER_BODY_HANDLER). */
    static final int BEFORE_THE_BODY_IS_READ = Integer.MIN_VALUE;
    static final int AFTER_THE_BODY_IS_READ = Integer.MIN_VALUE + 2;

    /** The limit of the function answering at {@code path} ({@code /login}), in bytes. */
    static int limitFor(String path) {
        return BY_FUNCTION.getOrDefault(path.startsWith("/") ? path.substring(1) : path, OTHER);
    }

    void register(@Observes Router router) {
        router.route().order(BEFORE_THE_BODY_IS_READ).handler(BodyLimits::refuseDeclaredOversize);
        router.route().order(AFTER_THE_BODY_IS_READ).handler(BodyLimits::refuseReadOversize);
    }

    private static void refuseDeclaredOversize(RoutingContext context) {
        if (declaresMoreThan(context.request().getHeader(HttpHeaders.CONTENT_LENGTH),
                limitFor(context.normalizedPath()))) {
            context.fail(413);
        } else {
            context.next();
        }
    }

    private static void refuseReadOversize(RoutingContext context) {
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
