package io.wxpayfn.function;

import io.quarkus.funqy.runtime.FunctionInvoker;
import io.quarkus.funqy.runtime.FunctionRecorder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Refuses what must never reach a function, and answers every refusal made around one, with the documented envelope
 * and one WARN line without a stack trace: a request that is not a POST (405), a body over its route's limit
 * ({@link BodyLimits}, 413, connection closed), a body that is not one well-formed JSON value (400), and a body the
 * function's typed input does not take ({@link FunctionInputs}: 40001 naming the field, HTTP 200 like any refusal of
 * a function). funqy-http would log each of these as an ERROR with a stack trace, so they are refused before its
 * route. A callback that did not handle a notification ({@link CallbackNotHandledException}, logged where it was thrown) is answered 500 here, so
 * WeChat Pay retries. Any other failure is a bug of ours and goes on to Quarkus' handler, which logs its trace.
 */
@Singleton
public class RequestRefusals {

    private static final Logger LOG = Logger.getLogger(RequestRefusals.class);
    /** After the body is read ({@link BodyLimits}) and after the single-route filter, before funqy-http's route. */
    static final int ROUTE_ORDER = -500;

    private static final String MALFORMED = "body: must be a well-formed JSON object";

    private final BodyLimits limits;
    private final FunctionInputs inputs;

    RequestRefusals(BodyLimits limits, FunctionInputs inputs) {
        this.limits = limits;
        this.inputs = inputs;
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
        Buffer buffer = context.body().buffer();
        byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
        Optional<FunctionInputs.Problem> problem = inputs.check(context.normalizedPath(), body);
        if (problem.isPresent()) {
            if (problem.get() instanceof FunctionInputs.Refused refused) {
                LOG.debugf("%s refused: %s", context.normalizedPath(), refused.errmsg());
                EnvelopeAnswers.send(context, 200, ErrorCode.INVALID_REQUEST, refused.errmsg());
            } else {
                refuse(context, 400, MALFORMED, ((FunctionInputs.Malformed) problem.get()).why());
            }
            return;
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
            EnvelopeAnswers.send(context, 500, notHandled.code(), notHandled.getMessage());
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
            refuse(context, 400, MALFORMED, "funqy-http could not read the body");
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
        EnvelopeAnswers.send(context, status, ErrorCode.INVALID_REQUEST, errmsg);
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
