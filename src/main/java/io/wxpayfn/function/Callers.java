package io.wxpayfn.function;

import io.vertx.ext.web.RoutingContext;
import io.wxpayfn.identity.OperatorKey;
import io.wxpayfn.identity.SessionTokens;
import io.wxpayfn.order.Caller;
import io.wxpayfn.order.ForbiddenException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Provider;

/**
 * Who is calling, taken only from the request headers: {@code Authorization: Bearer <session token>} for a
 * mini-program user, {@code X-Operator-Key} for the operator (OPERATOR_API_KEY) or the scheduler
 * (RECONCILE_API_KEY). Nothing in a request body can claim an identity, and neither key stands in for the other.
 */
@RequestScoped
public class Callers {

    static final String OPERATOR_HEADER = "X-Operator-Key";

    @Inject
    RoutingContext request;
    /** A provider: the reconcile deployment has no session secret and never verifies a session. */
    @Inject
    Provider<SessionTokens> sessions;

    @Inject
    OperatorKey keys;

    /** The operator when the operator key is presented, otherwise the user of a valid session. */
    Caller userOrOperator() {
        return presentedKey() != null ? operator() : user();
    }

    Caller user() {
        String authorization = request.request().getHeader("Authorization");
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip()
                : null;
        return sessions.get().caller(token);
    }

    /** @throws ForbiddenException unless the operator key (OPERATOR_API_KEY) is presented */
    Caller operator() {
        return holding(OperatorKey.Scope.OPERATOR, "operator only");
    }

    /** @throws ForbiddenException unless the reconcile key (RECONCILE_API_KEY) is presented */
    Caller reconciler() {
        return holding(OperatorKey.Scope.RECONCILE, "reconcile key only");
    }

    private Caller holding(OperatorKey.Scope scope, String who) {
        String presented = presentedKey();
        if (presented == null) {
            throw new ForbiddenException(who + ": send the " + OPERATOR_HEADER + " header");
        }
        if (!keys.matches(scope, presented)) {
            throw new ForbiddenException(OPERATOR_HEADER + " is not the key for this call (" + scope.variable() + ")");
        }
        return Caller.asOperator();
    }

    private String presentedKey() {
        return request.request().getHeader(OPERATOR_HEADER);
    }
}
