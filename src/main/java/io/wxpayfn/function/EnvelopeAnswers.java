package io.wxpayfn.function;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes an envelope straight to the response, for the refusals made around a function rather than by it (wrong
 * route, method, body): the same shape a function answers, so a caller parses every answer one way.
 */
public final class EnvelopeAnswers {

    private EnvelopeAnswers() {}

    /** Ends the response with {@code status} and the envelope of {@code code} and {@code errmsg}. */
    public static void send(RoutingContext context, int status, ErrorCode code, String errmsg) {
        Envelope envelope = Envelope.error(code, errmsg);
        context.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject()
                        .put("errcode", envelope.errcode())
                        .put("errmsg", envelope.errmsg())
                        .encode());
    }
}
