package io.wxpayfn.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.quarkus.funqy.runtime.FunctionInvoker;
import io.quarkus.funqy.runtime.FunctionRecorder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wxpayfn.order.ErrorCode;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import org.jboss.logging.Logger;

/**
 * Refuses what must never reach a function, and answers every refusal made around one, with the documented envelope
 * and one WARN line without a stack trace: a request that is not a POST (405), a body over its route's limit
 * ({@link BodyLimits}, 413, connection closed), a body that is not one well-formed JSON value (400). funqy-http would
 * log each of these as an ERROR with a stack trace, so they are refused before its route. A callback that did not
 * handle a notification ({@link CallbackNotHandledException}, logged where it was thrown) is answered 500 here, so
 * WeChat Pay retries. Any other failure is a bug of ours and goes on to Quarkus' handler, which logs its trace.
 */
@Singleton
public class RequestRefusals {

    private static final Logger LOG = Logger.getLogger(RequestRefusals.class);
    /** After the body is read ({@link BodyLimits}) and after the single-route filter, before funqy-http's route. */
    static final int ROUTE_ORDER = -500;

    private final ObjectReader json;
    private final BodyLimits limits;

    RequestRefusals(ObjectMapper mapper, BodyLimits limits) {
        this.limits = limits;
        // The same parser settings funqy-http's copy of this mapper uses, so what passes here parses there.
        this.json = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    void register(@Observes Router router) {
        for (FunctionInvoker function : FunctionRecorder.registry.invokers()) {
            router.route("/" + function.getName()).order(ROUTE_ORDER).handler(this::requireJsonPost);
        }
        router.route().failureHandler(this::answerFailure);
    }

    private void requireJsonPost(RoutingContext context) {
        if (context.request().method() != HttpMethod.POST) {
            context.response().putHeader(HttpHeaders.ALLOW, "POST");
            refuse(context, 405, "method: must be POST", "method is not POST");
            return;
        }
        Buffer body = context.body().buffer();
        if (body != null && body.length() > 0) {
            try {
                if (json.readTree(body.getBytes()).isMissingNode()) {
                    refuse(context, 400, "body: must be a well-formed JSON object", "body is blank");
                    return;
                }
            } catch (IOException e) {
                refuse(
                        context,
                        400,
                        "body: must be a well-formed JSON object",
                        "body is not well-formed JSON"
                                + (e instanceof JsonProcessingException p && p.getLocation() != null
                                        ? " (line " + p.getLocation().getLineNr() + ", column "
                                                + p.getLocation().getColumnNr() + ")"
                                        : ""));
                return;
            }
        }
        context.next();
    }

    private void answerFailure(RoutingContext context) {
        if (context.failure() instanceof HttpClosedException) {
            // The client hung up, or we closed after a 413: there is nobody to answer and nothing of ours broke.
            LOG.debugf(
                    "%s %s: connection closed before the request ended",
                    context.request().method(), context.normalizedPath());
            return;
        }
        if (context.response().headWritten()) {
            context.next();
            return;
        }
        CallbackNotHandledException notHandled = notHandled(context.failure());
        if (notHandled != null) {
            answer(context, 500, notHandled.code(), notHandled.getMessage());
        } else if (context.statusCode() == 413) {
            int limit = limits.limitFor(context.normalizedPath());
            String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            closeAfterAnswer(context);
            refuse(
                    context,
                    413,
                    "body: must be at most " + limit + " bytes for " + context.normalizedPath(),
                    "body over the " + limit + "-byte limit"
                            + (declared == null ? " (no Content-Length)" : " (Content-Length " + declared + ")"));
        } else if (context.statusCode() == 400) {
            refuse(context, 400, "body: must be a well-formed JSON object", "funqy-http could not read the body");
        } else {
            context.next();
        }
    }

    /** What a callback threw, unwrapped from funqy-http's ApplicationException; null for anything else. */
    private static CallbackNotHandledException notHandled(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CallbackNotHandledException notHandled) {
                return notHandled;
            }
        }
        return null;
    }

    private static void refuse(RoutingContext context, int status, String errmsg, String why) {
        LOG.warnf("%s %s refused with %d: %s", context.request().method(), context.normalizedPath(), status, why);
        answer(context, status, ErrorCode.INVALID_REQUEST, errmsg);
    }

    private static void answer(RoutingContext context, int status, ErrorCode code, String errmsg) {
        context.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject()
                        .put("errcode", code.errcode())
                        .put("errmsg", errmsg)
                        .encode());
    }

    /** The rest of an oversized body is never read: the connection is closed once the 413 is sent. */
    private static void closeAfterAnswer(RoutingContext context) {
        if (context.request().version() != HttpVersion.HTTP_2) {
            context.response()
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .endHandler(done -> context.request().connection().close());
        }
    }
}
