package io.wxpayfn.function;

import io.vertx.ext.web.RoutingContext;
import io.wxpayfn.identity.OperatorKey;
import io.wxpayfn.identity.SessionTokens;
import io.wxpayfn.order.Caller;
import io.wxpayfn.order.ForbiddenException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * Who is calling, taken only from the request headers: {@code Authorization: Bearer <session token>} for a
 * mini-program user, {@code X-Operator-Key} for the operator. Nothing in a request body can claim an identity.
 */
@RequestScoped
public class Callers {

    static final String OPERATOR_HEADER = "X-Operator-Key";

    @Inject
    RoutingContext request;
    @Inject
    SessionTokens sessions;
    @Inject
    OperatorKey operatorKey;

    /** The operator when the operator key is presented, otherwise the user of a valid session. */
    Caller userOrOperator() {
        return isOperator() ? Caller.asOperator() : user();
    }

    Caller user() {
        String authorization = request.request().getHeader("Authorization");
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        return sessions.caller(token);
    }

    Caller operator() {
        if (!isOperator()) {
            throw new ForbiddenException("operator only: send the " + OPERATOR_HEADER + " header");
        }
        return Caller.asOperator();
    }

    private boolean isOperator() {
        String presented = request.request().getHeader(OPERATOR_HEADER);
        if (presented != null && !operatorKey.matches(presented)) {
            throw new ForbiddenException(OPERATOR_HEADER + " is not the operator key");
        }
        return presented != null;
    }
}
