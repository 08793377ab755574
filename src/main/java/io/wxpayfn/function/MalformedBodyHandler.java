package io.wxpayfn.function;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.wxpayfn.order.ErrorCode;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Funqy refuses a body it cannot parse as JSON by failing the request with 400 before any function runs; this
 * turns that refusal into the documented envelope instead of an empty answer. The status stays 400, so a
 * callback given such a body is still not acknowledged.
 */
@Singleton
public class MalformedBodyHandler {

    void register(@Observes Router router) {
        router.route().failureHandler(context -> {
            if (context.statusCode() != 400 || context.response().headWritten()) {
                context.next();
                return;
            }
            context.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("errcode", ErrorCode.INVALID_REQUEST.errcode())
                            .put("errmsg", "body: must be a well-formed JSON object").encode());
        });
    }
}
